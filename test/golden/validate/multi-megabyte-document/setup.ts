import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `suppression-list.yaml`: a person segment whose `email in [...]` list holds 128,000
 * addresses (about 5 MB), the way a pasted suppression list grows. It is otherwise valid.
 */
export default async function setup(configDir: string): Promise<void> {
  const lines = [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata:',
    '  name: suppression-list',
    '  labels: { team: marketing-ops }',
    '  description: People who asked never to be contacted, pasted from the legal team spreadsheet.',
    'spec:',
    '  subject: person',
    '  where:',
    '    attribute: email',
    '    op: in',
    '    value:',
  ];
  for (let i = 0; i < 128_000; i++) lines.push(`      - person-${String(i).padStart(6, '0')}@customer.example`);
  await fs.writeFile(path.join(configDir, 'suppression-list.yaml'), `${lines.join('\n')}\n`);
}
