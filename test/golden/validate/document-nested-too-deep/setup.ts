import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `negations.yaml`: a person segment whose condition is 700 nested `not:` in block style (the
 * probe that crashed plan and apply), too long to commit by hand.
 */
export default async function setup(configDir: string): Promise<void> {
  const lines = [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata:',
    '  name: negations',
    'spec:',
    '  subject: person',
  ];
  let indent = '  ';
  lines.push(`${indent}where:`);
  for (let i = 0; i < 700; i++) {
    indent += '  ';
    lines.push(`${indent}not:`);
  }
  lines.push(`${indent}  { attribute: jobTitle, op: contains, value: VP }`);
  await fs.writeFile(path.join(configDir, 'negations.yaml'), `${lines.join('\n')}\n`);
}
