import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `named-accounts.yaml`: a person segment with one `any` of 600 `eq` comparisons, the way a
 * rules UI exports a pasted list; over the 500 condition nodes a segment may hold.
 */
export default async function setup(configDir: string): Promise<void> {
  const lines = [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata:',
    '  name: named-accounts',
    'spec:',
    '  subject: person',
    '  where:',
    '    any:',
  ];
  for (let i = 0; i < 600; i++) lines.push(`      - { attribute: emailDomain, op: eq, value: d${i}.example }`);
  await fs.writeFile(path.join(configDir, 'named-accounts.yaml'), `${lines.join('\n')}\n`);
}
