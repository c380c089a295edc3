/**
 * Ingestion is idempotent by source key: the same input a second time writes nothing and touches
 * no row, a changed record is written again and only it, a record deleted in the source is
 * removed, `--full` re-reads everything without writing what did not change, and each object's
 * watermark is stored on its own.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { countsOf, FIXTURES, makeWorkspace, RosterCli, type Workspace, writeFiles } from './ingest-kit';

const CONFIG = `apiVersion: roster/v1
kind: Source
metadata: { name: crm-files }
spec:
  type: file
  file: { baseDir: ../data }
  objects:
    - name: contacts
      entity: person
      path: contacts.csv
      key: id
      watermark: updated_at
      fields: { email: email, firstName: first_name, lastName: last_name, updatedAt: updated_at }
      identities: { email: email }
    - name: companies
      entity: account
      path: companies.csv
      key: id
      watermark: modified_at
      fields: { name: name, domain: domain }
    - name: Account
      entity: account
      preset: salesforce/Account
      path: Account.json
      identities: { crmAccountId: attributes.referenceId }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: crm-identity }
spec:
  sources: [crm-files]
  person: { namespaces: [{ name: email, type: email }] }
  account: { namespaces: [{ name: crmAccountId, type: crm-id, unique: true }] }
`;

interface Contact {
  id: string;
  email: string;
  first: string;
  last: string;
  updatedAt: string;
}

/** 100 contacts updated an hour apart from 2024-01-01T00:00:00Z on (c099 last, at 2024-01-05T03:00:00Z). */
function contacts(): Contact[] {
  return Array.from({ length: 100 }, (_, i) => ({
    id: `c${String(i).padStart(3, '0')}`,
    email: `person${i}@example.org`,
    first: `First${i}`,
    last: `Last${i}`,
    updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
  }));
}

function contactsCsv(rows: readonly Contact[]): string {
  const lines = rows.map((c) => `${c.id},${c.email},${c.first},${c.last},${c.updatedAt}`);
  return `id,email,first_name,last_name,updated_at\n${lines.join('\n')}\n`;
}

function companiesCsv(): string {
  const lines = Array.from(
    { length: 20 },
    (_, i) => `co${i},Company ${i},company${i}.example,2024-02-${String(1 + i).padStart(2, '0')} 12:00:00`,
  );
  return `id,name,domain,modified_at\n${lines.join('\n')}\n`;
}

describe('idempotent ingestion of a file source', () => {
  let pool: Pool;
  let cli: RosterCli;
  let workspace: Workspace;
  let s: string;
  const sandbox = uniqueSandbox('idem');
  const people = contacts();
  let accountJson: string;

  beforeAll(async () => {
    pool = await testPool();
    cli = new RosterCli(await testDatabaseUrl());
    workspace = makeWorkspace('idempotency');
    writeFiles(workspace.config, { 'crm-files.yaml': CONFIG });
    writeFiles(workspace.data, { 'contacts.csv': contactsCsv(people), 'companies.csv': companiesCsv() });
    accountJson = path.join(workspace.data, 'Account.json');
    copyFileSync(path.join(FIXTURES, 'salesforce-sample', 'Account.json'), accountJson);
    cli.apply(workspace.config, sandbox);
    s = sandboxSchema(sandbox);
  });

  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    workspace.remove();
  });

  /** Every source record with what a write would change: run, ingestion time, content hash. */
  async function snapshot(): Promise<Map<string, string>> {
    const { rows } = await pool.query<{ key: string; state: string }>(
      `select source_object || '/' || source_key as key, concat_ws(' ', run_id, ingested_at, content_hash) as state from ${s}.person_records
       union all select source_object || '/' || source_key, concat_ws(' ', run_id, ingested_at, content_hash) from ${s}.account_records`,
    );
    return new Map(rows.map((r) => [r.key, r.state]));
  }

  async function watermarks(): Promise<Record<string, string>> {
    const { rows } = await pool.query<{ object: string; watermark: string }>(
      `select object, watermark from ${s}.source_watermarks where source = 'crm-files' order by object`,
    );
    return Object.fromEntries(rows.map((r) => [r.object, r.watermark]));
  }

  /** The account identities with the row version (`xmin`) that wrote each. */
  async function accountIdentities(): Promise<string[]> {
    const { rows } = await pool.query<{ line: string }>(
      `select namespace || ' ' || value || ' ' || xmin::text as line from ${s}.record_identities
       where entity = 'account' order by 1`,
    );
    return rows.map((r) => r.line);
  }

  it('writes every record on the first run and stores a watermark for each object that has one', async () => {
    const first = cli.sourceRun('crm-files', sandbox);
    expect(countsOf(first)).toEqual({
      status: 'succeeded',
      read: 130,
      written: 130,
      unchanged: 0,
      deleted: 0,
      quarantined: 0,
    });
    // contacts: c099's updated_at; companies: co19's modified_at (no zone: read as UTC). Both as ISO text.
    // The Account export has no SystemModstamp, so it has no watermark.
    expect(await watermarks()).toEqual({
      companies: '2024-02-20T12:00:00.000Z',
      contacts: '2024-01-05T03:00:00.000Z',
    });
  });

  it('writes nothing when the same input runs again: every record unchanged, no row touched, nothing re-stitched', async () => {
    const before = await snapshot();
    const revisions = await pool.query(`select count(*)::int as n from ${s}.resource_revisions`);
    const again = cli.sourceRun('crm-files', sandbox);
    expect(countsOf(again)).toEqual({
      status: 'succeeded',
      read: 130,
      written: 0,
      unchanged: 130,
      deleted: 0,
      quarantined: 0,
    });
    expect(again.stitched).toEqual([]); // a run that wrote nothing does not stitch at all
    expect(await snapshot()).toEqual(before);
    expect((await pool.query(`select count(*)::int as n from ${s}.resource_revisions`)).rows).toEqual(revisions.rows);
  });

  it('writes exactly the 3 contacts that changed, and moves the contacts watermark past them', async () => {
    const before = await snapshot();
    const changed = new Set(['c010', 'c050', 'c090']);
    const edited = people.map((c) =>
      changed.has(c.id) ? { ...c, email: `new.${c.email}`, updatedAt: `2024-02-0${c.id.slice(2, 3)}T09:00:00Z` } : c,
    );
    writeFiles(workspace.data, { 'contacts.csv': contactsCsv(edited) });

    const run = cli.sourceRun('crm-files', sandbox);
    expect(countsOf(run)).toEqual({
      status: 'succeeded',
      read: 130,
      written: 3,
      unchanged: 127,
      deleted: 0,
      quarantined: 0,
    });
    const after = await snapshot();
    const rewritten = [...after].filter(([key, state]) => before.get(key) !== state).map(([key]) => key);
    expect(rewritten.sort()).toEqual(['contacts/c010', 'contacts/c050', 'contacts/c090']);
    const emails = await pool.query(
      `select source_key, email from ${s}.person_records where source_key in ('c010', 'c050', 'c090') order by 1`,
    );
    expect(emails.rows).toEqual([
      { source_key: 'c010', email: 'new.person10@example.org' },
      { source_key: 'c050', email: 'new.person50@example.org' },
      { source_key: 'c090', email: 'new.person90@example.org' },
    ]);
    expect((await watermarks()).contacts).toBe('2024-02-09T09:00:00.000Z');
  });

  it('writes exactly the 3 accounts that changed in an export without a watermark', async () => {
    const before = await snapshot();
    const identities = await accountIdentities();
    const file = JSON.parse(readFileSync(accountJson, 'utf8'));
    for (const record of file.records.slice(1, 4)) record.AnnualRevenue = 123456789;
    writeFileSync(accountJson, JSON.stringify(file, null, 4));

    const run = cli.sourceRun('crm-files', sandbox);
    expect(countsOf(run)).toEqual({
      status: 'succeeded',
      read: 130,
      written: 3,
      unchanged: 127,
      deleted: 0,
      quarantined: 0,
    });
    const after = await snapshot();
    const rewritten = [...after].filter(([key, state]) => before.get(key) !== state).map(([key]) => key);
    expect(rewritten.sort()).toEqual(
      file.records
        .slice(1, 4)
        .map((r: { attributes: { referenceId: string } }) => `Account/${r.attributes.referenceId}`),
    );
    // A new revenue changes no identity: the accounts' identities are not rewritten (same row versions).
    expect(identities.length).toBeGreaterThan(0);
    expect(await accountIdentities()).toEqual(identities);
  });

  it('removes the row of a Salesforce record marked IsDeleted=true', async () => {
    const file = JSON.parse(readFileSync(accountJson, 'utf8'));
    expect(file.records[0].Name).toBe('Edge Communications');
    file.records[0].IsDeleted = true;
    writeFileSync(accountJson, JSON.stringify(file, null, 4));

    const run = cli.sourceRun('crm-files', sandbox);
    expect(countsOf(run)).toEqual({
      status: 'succeeded',
      read: 130,
      written: 0,
      unchanged: 129,
      deleted: 1,
      quarantined: 0,
    });
    const { rows } = await pool.query(
      `select count(*)::int as accounts, count(*) filter (where name = 'Edge Communications')::int as edge
       from ${s}.account_records where source_object = 'Account'`,
    );
    expect(rows).toEqual([{ accounts: 9, edge: 0 }]);
    const identities = await pool.query(
      `select count(*)::int as n from ${s}.record_identities where entity = 'account' and value = 'ref0010S00000C1t1vQAB'`,
    );
    expect(identities.rows).toEqual([{ n: 0 }]);
  });

  it('removes the account profile that only the deleted record made', async () => {
    const { rows } = await pool.query(
      `select a.name from ${s}.accounts a where not exists (select 1 from ${s}.account_records r where r.account_id = a.id)`,
    );
    expect(rows).toEqual([]);
    const profiles = await pool.query(
      `select count(*)::int as n, count(*) filter (where name = 'Edge Communications')::int as edge from ${s}.accounts`,
    );
    expect(profiles.rows).toEqual([{ n: 29, edge: 0 }]); // 20 companies and the 9 Salesforce accounts left
  });

  it('re-reads everything with --full and still writes nothing new, the watermarks kept', async () => {
    const before = await snapshot();
    const marks = await watermarks();
    const full = cli.sourceRun('crm-files', sandbox, { extra: ['--full'] });
    // The record still marked deleted is read again: there is no row to remove, so it counts as unchanged.
    expect(countsOf(full)).toEqual({
      status: 'succeeded',
      read: 130,
      written: 0,
      unchanged: 130,
      deleted: 0,
      quarantined: 0,
    });
    expect(await snapshot()).toEqual(before);
    expect(await watermarks()).toEqual(marks);
  });
});
