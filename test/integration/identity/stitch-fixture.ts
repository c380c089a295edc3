import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { rosterAsync } from '../../support/run-roster';
import { useSandboxes } from '../../support/use-sandboxes';

/** One CSV row: column -> text (a missing column is written as an empty field). */
export type Row = Record<string, string>;

/** Writes `rows` as RFC 4180 CSV with the given header, quoting every field (as Salesforce exports do). */
export async function writeCsv(file: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  const lines = [columns.map(quote).join(','), ...rows.map((row) => columns.map((c) => quote(row[c] ?? '')).join(','))];
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${lines.join('\r\n')}\r\n`);
}

export const HAND_ACCOUNT_COLUMNS = ['id', 'name', 'domain'];
export const HAND_CONTACT_COLUMNS = ['id', 'email', 'firstName', 'lastName', 'title', 'accountId'];
export const MARKETING_COLUMNS = ['id', 'email', 'firstName', 'lastName', 'title', 'accountId'];
export const SF_ACCOUNT_COLUMNS = ['Id', 'IsDeleted', 'Name', 'Website', 'SystemModstamp'];
export const SF_CONTACT_COLUMNS = [
  'Id',
  'IsDeleted',
  'AccountId',
  'FirstName',
  'LastName',
  'Email',
  'Title',
  'SystemModstamp',
];
export const SF_LEAD_COLUMNS = [
  'Id',
  'IsDeleted',
  'FirstName',
  'LastName',
  'Email',
  'IsConverted',
  'ConvertedContactId',
  'SystemModstamp',
];

/** The data of one sandbox: rows per file, by path under the config's `data/` directory. */
export interface SandboxData {
  crm: { accounts?: Row[]; contacts?: Row[]; leads?: Row[] };
  marketing?: Row[];
}

export interface ConfigOptions {
  /** `hand`: CRM objects mapped field by field; `salesforce`: the salesforce/* presets over export-style CSVs. */
  crm: 'hand' | 'salesforce';
  /** Attribute priority, first wins. Default crm, marketing. */
  sources?: readonly ('crm' | 'marketing')[];
  emailDomainFallback?: boolean;
}

/** The identity mapping and the two sources (`crm`, `marketing`) as YAML files under `dir`. */
export async function writeConfig(dir: string, options: ConfigOptions): Promise<void> {
  await fs.mkdir(path.join(dir, 'sources'), { recursive: true });
  await fs.writeFile(path.join(dir, 'identity.yaml'), identityMappingYaml(options));
  await fs.writeFile(
    path.join(dir, 'sources', 'crm.yaml'),
    options.crm === 'hand' ? HAND_CRM_YAML : SALESFORCE_CRM_YAML,
  );
  await fs.writeFile(path.join(dir, 'sources', 'marketing.yaml'), MARKETING_YAML);
}

/** Writes the sandbox's CSVs (every object's file, header only when it has no rows). */
export async function writeData(dir: string, options: ConfigOptions, data: SandboxData): Promise<void> {
  const crm = path.join(dir, 'data', 'crm');
  if (options.crm === 'hand') {
    await writeCsv(path.join(crm, 'accounts.csv'), HAND_ACCOUNT_COLUMNS, data.crm.accounts ?? []);
    await writeCsv(path.join(crm, 'contacts.csv'), HAND_CONTACT_COLUMNS, data.crm.contacts ?? []);
  } else {
    await writeCsv(path.join(crm, 'Account.csv'), SF_ACCOUNT_COLUMNS, data.crm.accounts ?? []);
    await writeCsv(path.join(crm, 'Contact.csv'), SF_CONTACT_COLUMNS, data.crm.contacts ?? []);
    await writeCsv(path.join(crm, 'Lead.csv'), SF_LEAD_COLUMNS, data.crm.leads ?? []);
  }
  await writeCsv(path.join(dir, 'data', 'marketing', 'people.csv'), MARKETING_COLUMNS, data.marketing ?? []);
}

function identityMappingYaml(options: ConfigOptions): string {
  return `apiVersion: roster/v1
kind: IdentityMapping
metadata:
  name: people
spec:
  sources: [${(options.sources ?? ['crm', 'marketing']).join(', ')}]
  person:
    namespaces:
      - { name: crmContactId, type: crm-id, unique: true, priority: 100 }
      - { name: crmLeadId, type: crm-id, unique: true, priority: 90 }
      - { name: email, type: email, priority: 50 }
  account:
    namespaces:
      - { name: crmAccountId, type: crm-id, unique: true, priority: 100 }
      - { name: domain, type: domain, priority: 50 }
  accountLinking:
    byNamespace: crmAccountId
    emailDomainFallback: ${options.emailDomainFallback === true}
`;
}

const HAND_CRM_YAML = `apiVersion: roster/v1
kind: Source
metadata:
  name: crm
spec:
  type: file
  file: { baseDir: ../data/crm }
  objects:
    - name: accounts
      entity: account
      path: accounts.csv
      key: id
      fields: { name: name, domain: domain }
      identities: { crmAccountId: id, domain: domain }
    - name: contacts
      entity: person
      path: contacts.csv
      key: id
      fields: { email: email, firstName: firstName, lastName: lastName, jobTitle: title, account: accountId }
      identities: { crmContactId: id, email: email }
`;

const SALESFORCE_CRM_YAML = `apiVersion: roster/v1
kind: Source
metadata:
  name: crm
spec:
  type: file
  file: { baseDir: ../data/crm }
  objects:
    - { name: Account, entity: account, preset: salesforce/Account, path: Account.csv, identities: { crmAccountId: Id, domain: Website } }
    - { name: Contact, entity: person, preset: salesforce/Contact, path: Contact.csv, identities: { crmContactId: Id, email: Email } }
    - { name: Lead, entity: person, preset: salesforce/Lead, path: Lead.csv, identities: { crmLeadId: Id, email: Email } }
`;

const MARKETING_YAML = `apiVersion: roster/v1
kind: Source
metadata:
  name: marketing
spec:
  type: file
  file: { baseDir: ../data/marketing }
  objects:
    - name: people
      entity: person
      path: people.csv
      key: id
      fields: { email: email, firstName: firstName, lastName: lastName, jobTitle: title, account: accountId }
      identities: { email: email }
`;

/** Runs the real `roster` executable; resolves to its stdout, rejects with its stderr when it exits non-zero. */
export async function rosterOk(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { code, stdout, stderr } = await rosterAsync(args, env).done;
  if (code !== 0) throw new Error(`roster ${args.join(' ')} exited ${code}:\n${stderr}${stdout}`);
  return stdout;
}

export async function applyConfig(dir: string, sandbox: string, env: NodeJS.ProcessEnv): Promise<void> {
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes'], env);
}

/** `roster source run NAME --format json` (which stitches after the run); its JSON report. */
export async function runSource(name: string, sandbox: string, env: NodeJS.ProcessEnv): Promise<SourceRunReport> {
  return JSON.parse(await rosterOk(['source', 'run', name, '--sandbox', sandbox, '--format', 'json'], env));
}

export interface SourceRunReport {
  status: string;
  read: number;
  written: number;
  deleted: number;
  stitched: { entity: string; records: number; profiles: number; conflicts: number }[];
}

/** A unified person as the tests compare them: its records' keys and its merged attributes. */
export interface PersonView {
  keys: string[];
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  /** The canonical key of the linked account profile. */
  account: string | null;
}

/** Every person of the sandbox, read with plain SQL, sorted by record keys (ids play no part). */
export async function readPersons(pool: Pool, sandbox: string): Promise<PersonView[]> {
  const s = `roster_${sandbox}`;
  const { rows } = await pool.query<PersonView>(
    `select coalesce((select array_agg(r.source_name || '/' || r.source_object || '/' || r.source_key)
                      from ${s}.person_records r where r.person_id = p.id), '{}') as keys,
       p.email, p.first_name as "firstName", p.last_name as "lastName", p.job_title as "jobTitle", a.canonical_key as account
     from ${s}.persons p left join ${s}.accounts a on a.id = p.account_id`,
  );
  return rows
    .map((row) => ({ ...row, keys: [...row.keys].sort() }))
    .sort((a, b) => (a.keys.join('|') < b.keys.join('|') ? -1 : a.keys.join('|') > b.keys.join('|') ? 1 : 0));
}

/** The sandbox's recorded conflicts, as sorted `namespace value: reason [record keys]` lines. */
export async function readConflicts(pool: Pool, sandbox: string): Promise<string[]> {
  const { rows } = await pool.query<{ line: string }>(
    `select entity || ' ' || namespace || ' ' || value || ': ' || reason || ' ' || record_keys::text as line
     from roster_${sandbox}.identity_conflicts`,
  );
  return rows.map((r) => r.line).sort();
}

/** The person holding the record `key` (`source/object/key`). */
export function personWith(persons: readonly PersonView[], key: string): PersonView {
  const person = persons.find((p) => p.keys.includes(key));
  if (!person) throw new Error(`no person holds ${key}; persons: ${JSON.stringify(persons.map((p) => p.keys))}`);
  return person;
}

/** What a test file needs to make sandboxes and check them; valid inside tests (after `beforeAll`). */
export interface StitchWorkspace {
  readonly pool: Pool;
  readonly env: NodeJS.ProcessEnv;
  /** A new sandbox with the config applied and `data` written (nothing run yet); dropped after the file. */
  newSandbox(options: ConfigOptions, data: SandboxData): Promise<{ sandbox: string; dir: string }>;
  /** `roster source run crm`, then `roster source run marketing`. */
  runBoth(sandbox: string): Promise<void>;
  /** Rows of `sql`, counted with plain SQL. */
  count(sql: string): Promise<number>;
}

/** Registers the file's hooks (see `useSandboxes`). */
export function useStitchWorkspace(): StitchWorkspace {
  const sandboxes = useSandboxes('roster-stitching-');
  return {
    get pool() {
      return sandboxes.pool;
    },
    get env() {
      return sandboxes.env;
    },
    async newSandbox(options, data) {
      const { sandbox, dir } = await sandboxes.create('idst');
      await writeConfig(dir, options);
      await writeData(dir, options, data);
      await applyConfig(dir, sandbox, sandboxes.env);
      return { sandbox, dir };
    },
    async runBoth(sandbox) {
      await runSource('crm', sandbox, sandboxes.env);
      await runSource('marketing', sandbox, sandboxes.env);
    },
    async count(sql) {
      const { rows } = await sandboxes.pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) x`);
      return rows[0]!.n;
    },
  };
}
