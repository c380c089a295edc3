import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes `count` persons as CSV: a CRM id, a Marketo id and an email (three identities), names, a
 * title and the CRM id of one of `accounts` accounts. `changedEvery`: every n-th row gets a new
 * title (for the incremental benchmark). Deterministic.
 */
export async function writePersonsCsv(
  file: string,
  count: number,
  options: { accounts?: number; changedEvery?: number } = {},
): Promise<void> {
  const accounts = options.accounts ?? Math.max(1, Math.floor(count / 10));
  const titles = [
    'VP Engineering',
    'CTO',
    'Data Analyst',
    'Director of Marketing',
    'Procurement Manager',
    'CFO',
    'Head of Data',
  ];
  const out = createWriteStream(file);
  out.write('id,marketo_id,email,first_name,last_name,title,account_id,updated_at\n');
  let chunk = '';
  for (let i = 0; i < count; i++) {
    const changed = options.changedEvery !== undefined && i % options.changedEvery === 0;
    const title = changed ? 'Chief Revenue Officer' : titles[i % titles.length];
    const updated = changed ? '2026-11-02T00:00:00Z' : '2026-11-01T00:00:00Z';
    chunk += `003B${String(i).padStart(11, '0')},${100000 + i},person${i}@company${i % accounts}.example,First${i},Last${i},${title},001B${String(i % accounts).padStart(11, '0')},${updated}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}
