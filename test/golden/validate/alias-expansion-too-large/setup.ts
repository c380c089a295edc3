import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `lookalikes.yaml` (1.4 MB, under the file limit): one 120,000-item `in` list under an
 * anchor, used by 199 aliases (under the alias limit). Expanded, it is 24 million values: the
 * probe that took plan 150 s and 3.4 GB before crashing.
 */
export default async function setup(configDir: string): Promise<void> {
  const items = Array.from({ length: 120_000 }, (_, i) => `d${i}.example`).join(', ');
  const aliases = Array.from({ length: 199 }, () => '      - { attribute: emailDomain, op: in, value: *domains }');
  const lines = [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata:',
    '  name: lookalikes',
    'spec:',
    '  subject: person',
    '  where:',
    '    any:',
    `      - { attribute: emailDomain, op: in, value: &domains [${items}] }`,
    ...aliases,
  ];
  await fs.writeFile(path.join(configDir, 'lookalikes.yaml'), `${lines.join('\n')}\n`);
}
