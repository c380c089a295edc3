import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** Header of the CRM contacts export. */
export const CONTACT_HEADER = 'id,email,phone,first_name,last_name,title,updated_at';
/** Header of the marketing leads export. */
export const LEAD_HEADER = 'id,email,crm_contact_id,phone,first_name,updated_at';

/**
 * A B2B company's people in two exports, deterministic. Of `persons` people, 80% are CRM contacts
 * and 80% marketing leads (60% in both): 1.6 records per person, 3 identities per record. Half of
 * the leads known to the CRM carry their contact's id (converted), a tenth of those under a
 * private address; 1,000 converted leads carry one of five junk addresses (each shared by 200). `changedEvery`: every n-th
 * row of each file gets a new title or name (the incremental benchmark).
 */
export async function writeCompanyCsvs(
  files: { contacts: string; leads: string },
  persons: number,
  options: { changedEvery?: number } = {},
): Promise<{ contacts: number; leads: number }> {
  const changed = (i: number) => options.changedEvery !== undefined && i % options.changedEvery === 0;
  const email = (i: number) => `person${i}@company${i % Math.max(1, Math.floor(persons / 10))}.example`;
  const contactId = (i: number) => `003C${String(i).padStart(11, '0')}`;
  // People 0 .. 0.8p are contacts; people 0.2p .. p are leads (0.2p .. 0.8p in both).
  const contacts = await writeLines(files.contacts, CONTACT_HEADER, Math.floor(persons * 0.8), (i) => {
    const title = changed(i) ? 'Chief Revenue Officer' : 'VP Engineering';
    return `${contactId(i)},${email(i)},+1 555 ${String(i).padStart(8, '0')},First${i},Last${i},${title},2026-11-01T00:00:00Z`;
  });
  const firstLead = Math.floor(persons * 0.2);
  const leads = await writeLines(files.leads, LEAD_HEADER, persons - firstLead, (n) => {
    const i = firstLead + n;
    const known = i < Math.floor(persons * 0.8);
    const converted = known && i % 2 === 0;
    // Junk only on converted leads (linked by their contact's id), so the number of persons stays `persons`.
    const junk = converted && n < 2000;
    const address = junk
      ? `info@junk${Math.floor(n / 2) % 5}.example`
      : converted && i % 20 === 0
        ? `p${i}@gmail.com`
        : email(i);
    const name = changed(n) ? `Renamed${i}` : `First${i}`;
    return `${String(1_000_000 + i)},${address},${converted ? contactId(i) : ''},+1 666 ${String(i).padStart(8, '0')},${name},2026-11-01T00:00:00Z`;
  });
  return { contacts, leads };
}

async function writeLines(file: string, header: string, count: number, line: (i: number) => string): Promise<number> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `${line(i)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return count;
}
