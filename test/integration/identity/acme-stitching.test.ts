import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateAcmeData } from '../../../engine/demo/acme-data/generate-acme-data';
import { BUILTIN_BLOCKLIST } from '../../../engine/identity/normalize-identity';
import { ROOT } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { readCsvRecords } from './parse-csv';
import { applyConfig, rosterOk, runSource } from './stitch-fixture';

const NOW = new Date('2026-11-01T00:00:00Z');

type CsvRecord = Record<string, string>;

let pool: Pool;
let env: NodeJS.ProcessEnv;
let work: string;
let sandbox: string;
let s: string;
/** The generated CSVs, read independently of the ingestion code. */
const csv = {} as {
  contacts: CsvRecord[];
  leads: CsvRecord[];
  accounts: CsvRecord[];
  marketo: CsvRecord[];
  activities: CsvRecord[];
};

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-acme-stitching-'));
  const dir = path.join(work, 'acme');
  await fs.cp(path.join(ROOT, 'examples', 'acme'), dir, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(ROOT, 'examples', 'acme', 'data')),
  });
  await generateAcmeData({ outDir: path.join(dir, 'data'), now: NOW });
  sandbox = uniqueSandbox('idacme');
  s = `roster_${sandbox}`;
  await applyConfig(dir, sandbox, env);
  expect(await runSource('salesforce-crm', sandbox, env)).toMatchObject({ status: 'succeeded' });
  expect(await runSource('marketo', sandbox, env)).toMatchObject({ status: 'succeeded' });
  const data = path.join(dir, 'data');
  const live = (rows: CsvRecord[]) => rows.filter((r) => r.IsDeleted !== 'true');
  csv.contacts = live(await readCsvRecords(path.join(data, 'salesforce', 'Contact.csv')));
  csv.leads = live(await readCsvRecords(path.join(data, 'salesforce', 'Lead.csv')));
  csv.accounts = live(await readCsvRecords(path.join(data, 'salesforce', 'Account.csv')));
  csv.marketo = await readCsvRecords(path.join(data, 'marketo', 'leads.csv'), 'null');
  csv.activities = await readCsvRecords(path.join(data, 'marketo', 'activities.csv'), 'null');
});

afterAll(async () => {
  if (sandbox) await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

async function rows<T>(sql: string): Promise<T[]> {
  return (await pool.query(sql)).rows as T[];
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();

describe('identity stitching of examples/acme (salesforce-crm, then marketo)', () => {
  it('gives every person record a person', async () => {
    expect(
      await rows(`select source_name, source_object, source_key from ${s}.person_records where person_id is null`),
    ).toEqual([]);
  });

  it('never gives a person two CRM contact ids, CRM lead ids or Marketo lead ids', async () => {
    const offenders = await rows(
      `select r.person_id, ri.namespace, array_agg(distinct ri.value) as values
       from ${s}.record_identities ri join ${s}.person_records r on r.id = ri.record_id
       where ri.entity = 'person' and ri.namespace in ('crmContactId', 'crmLeadId', 'marketoLeadId')
       group by r.person_id, ri.namespace having count(distinct ri.value) > 1`,
    );
    expect(offenders).toEqual([]);
  });

  it('merges every converted lead into the person of its contact', async () => {
    const converted = csv.leads.filter((l) => l.ConvertedContactId !== '');
    expect(converted.length).toBeGreaterThan(0);
    const merged = await rows<{ lead: string; contact: string; same: boolean }>(
      `select lead.source_key as lead, contact.source_key as contact, lead.person_id = contact.person_id as same
       from ${s}.person_records lead join ${s}.person_records contact
         on contact.source_name = lead.source_name and contact.source_object = 'Contact' and contact.source_key = lead.converted_to_key
       where lead.source_name = 'salesforce-crm' and lead.source_object = 'Lead'`,
    );
    expect(merged.map((m) => [m.lead, m.contact]).sort()).toEqual(
      converted.map((l) => [l.Id, l.ConvertedContactId]).sort(),
    );
    expect(merged.filter((m) => !m.same)).toEqual([]);
  });

  it('puts each Marketo lead synced with Salesforce in the person of its contact or lead', async () => {
    const misplaced = await rows(
      `select m.source_key as marketo, ri.namespace, ri.value from ${s}.person_records m
       join ${s}.record_identities ri on ri.entity = 'person' and ri.record_id = m.id and ri.namespace in ('crmContactId', 'crmLeadId')
       join ${s}.person_records sf on sf.source_name = 'salesforce-crm' and sf.source_key = ri.value
       where m.source_name = 'marketo' and m.person_id is distinct from sf.person_id`,
    );
    expect(misplaced).toEqual([]);
  });

  it('makes as many persons as contacts + unconverted leads + Marketo leads known only to Marketo', async () => {
    const marketingOnly = csv.marketo.filter((m) => m.sfdcContactId === '' && m.sfdcLeadId === '');
    // The sum holds only if nothing else links records: no marketing-only or open lead shares an email with another record.
    const salesforceEmails = new Set(
      [...csv.contacts.map((c) => c.Email!), ...csv.leads.map((l) => l.Email!)].filter(Boolean).map(normalizeEmail),
    );
    expect(marketingOnly.filter((m) => salesforceEmails.has(normalizeEmail(m.email!)))).toEqual([]);
    const contactEmails = new Set(csv.contacts.map((c) => normalizeEmail(c.Email!)));
    const openLeads = csv.leads.filter((l) => l.ConvertedContactId === '');
    expect(openLeads.filter((l) => l.Email !== '' && contactEmails.has(normalizeEmail(l.Email!)))).toEqual([]);
    const expected = csv.contacts.length + openLeads.length + marketingOnly.length;
    const [persons] = await rows<{ n: number }>(`select count(*)::int as n from ${s}.persons`);
    expect(persons!.n).toBe(expected);
  });

  it('keeps contacts that share an email (duplicates in the CRM) apart, recording each shared email as a conflict', async () => {
    const config = parseYaml(
      await fs.readFile(path.join(ROOT, 'examples', 'acme', 'identity', 'acme-identity.yaml'), 'utf8'),
    );
    const blocked = new Set([...BUILTIN_BLOCKLIST, ...(config.spec.blocklist as string[])].map(normalizeEmail));
    const byEmail = new Map<string, string[]>();
    for (const c of csv.contacts) {
      const email = normalizeEmail(c.Email!);
      if (email !== '' && !blocked.has(email)) byEmail.set(email, [...(byEmail.get(email) ?? []), c.Id!]);
    }
    const shared = [...byEmail].filter(([, ids]) => ids.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    const personOf = new Map(
      (
        await rows<{ key: string; person: string }>(
          `select source_key as key, person_id::text as person from ${s}.person_records where source_object = 'Contact'`,
        )
      ).map((r) => [r.key, r.person]),
    );
    for (const [email, ids] of shared) expect(new Set(ids.map((id) => personOf.get(id))).size, email).toBe(ids.length);
    const conflicts = await rows<{ value: string }>(
      `select distinct value from ${s}.identity_conflicts where entity = 'person' and namespace = 'email'`,
    );
    expect(conflicts.map((c) => c.value).sort()).toEqual(expect.arrayContaining(shared.map(([email]) => email).sort()));
  });

  it('shows, for a converted contact active in Marketo, identities from both systems, its account and its recent events', async () => {
    const activeLeads = new Set(csv.activities.map((a) => a.leadId));
    const contactIds = new Map(
      csv.leads.filter((l) => l.ConvertedContactId !== '').map((l) => [l.ConvertedContactId, l.Id]),
    );
    const synced = csv.marketo
      .filter((m) => contactIds.has(m.sfdcContactId!) && activeLeads.has(m.id!))
      .sort((a, b) => (a.sfdcContactId! < b.sfdcContactId! ? -1 : 1));
    const mkto = synced.find((m) => csv.contacts.find((c) => c.Id === m.sfdcContactId)?.AccountId);
    expect(mkto).toBeDefined();
    const contact = csv.contacts.find((c) => c.Id === mkto!.sfdcContactId)!;
    const account = csv.accounts.find((a) => a.Id === contact.AccountId)!;
    const latest = csv.activities
      .filter((a) => a.leadId === mkto!.id)
      .map((a) => a.activityDate!)
      .sort()
      .at(-1);
    const profile = JSON.parse(
      await rosterOk(['profile', 'get', '--sandbox', sandbox, '--email', contact.Email!, '--format', 'json'], env),
    );
    expect(profile.identities).toEqual(
      expect.arrayContaining([
        { namespace: 'crmContactId', value: contact.Id },
        { namespace: 'crmLeadId', value: contactIds.get(contact.Id!) },
        { namespace: 'marketoLeadId', value: mkto!.id },
        { namespace: 'email', value: normalizeEmail(contact.Email!) },
      ]),
    );
    expect(profile.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'salesforce-crm', object: 'Contact', key: contact.Id }),
        expect.objectContaining({ source: 'salesforce-crm', object: 'Lead', key: contactIds.get(contact.Id!) }),
        expect.objectContaining({ source: 'marketo', object: 'leads', key: mkto!.id }),
      ]),
    );
    expect(profile.account).toMatchObject({ name: account.Name });
    expect(profile.recentEvents.length).toBeGreaterThan(0);
    expect(profile.recentEvents[0]).toMatchObject({ occurredAt: latest, source: 'marketo' });
  });
});
