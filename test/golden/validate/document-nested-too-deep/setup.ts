import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `negations.yaml`: a person segment whose condition is 150 nested `not:` in block style: deeper
 * than a document may be, shallow enough to parse, so the error points at the level too deep.
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
  for (let i = 0; i < 150; i++) {
    indent += '  ';
    lines.push(`${indent}not:`);
  }
  lines.push(`${indent}  { attribute: jobTitle, op: contains, value: VP }`);
  await fs.writeFile(path.join(configDir, 'negations.yaml'), `${lines.join('\n')}\n`);
}
