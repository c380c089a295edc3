/**
 * An application database export (test/fixtures/grouparoo-demo, MIT: accounts and users of a small
 * SaaS company) through a file source with hand-written mappings, run through the engine's own
 * entry points: every row lands, and each user is linked to its account by the application's
 * account id, an identity namespace the accounts feed with their `id`.
 */
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStitch } from '../../../engine/identity/run-stitch';
import type { StitchResult } from '../../../engine/identity/stitch-identities';
import type { IngestResult } from '../../../engine/ingest/ingest-objects';
import { runSourceIngest } from '../../../engine/ingest/run-source-ingest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { FIXTURES, makeWorkspace, RosterCli, type Workspace, writeFiles } from './ingest-kit';

const DEMO = path.join(FIXTURES, 'grouparoo-demo');

const CONFIG = {
  'grouparoo-demo.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: grouparoo-demo }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(DEMO)} }
  objects:
    - name: accounts
      entity: account
      path: accounts.csv
      key: id
      fields: { name: name, domain: domain }
      identities: { appAccountId: id, domain: domain }
    - name: users
      entity: person
      path: users.csv
      key: id
      fields: { firstName: first_name, lastName: last_name, email: email, account: account_id }
      identities: { email: email, appUserId: id }
`,
  'identity.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: grouparoo-identity }
spec:
  sources: [grouparoo-demo]
  person:
    namespaces:
      - { name: appUserId, type: crm-id, unique: true, priority: 100 }
      - { name: email, type: email, priority: 50 }
  account:
    namespaces:
      - { name: appAccountId, type: crm-id, unique: true, priority: 100 }
      - { name: domain, type: domain, priority: 50 }
  accountLinking: { byNamespace: appAccountId }
`,
};

describe('the Grouparoo demo export through hand-written mappings', () => {
  let checks: Pool;
  let engine: Pool;
  let workspace: Workspace;
  let s: string;
  let ingest: IngestResult;
  let stitch: StitchResult[];
  const sandbox = uniqueSandbox('grp');

  beforeAll(async () => {
    checks = await testPool();
    engine = await testPool();
    workspace = makeWorkspace('grouparoo');
    writeFiles(workspace.config, CONFIG);
    new RosterCli(await testDatabaseUrl()).apply(workspace.config, sandbox);
    ingest = await runSourceIngest(engine, sandbox, 'grouparoo-demo', { trigger: 'manual', env: {} });
    stitch = await runStitch(engine, sandbox);
    s = sandboxSchema(sandbox);
  });

  afterAll(async () => {
    await dropSandboxes(checks, [sandbox]);
    await Promise.all([checks.end(), engine.end()]);
    workspace.remove();
  });

  const rows = async <T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await checks.query<T>(sql, params)).rows;

  it('loads all 50 accounts and 1000 users, the last row of each too, though neither file ends with a line break', async () => {
    expect(ingest).toMatchObject({ status: 'succeeded', read: 1050, written: 1050, quarantined: 0 });
    const [counts] = await rows(
      `select (select count(*)::int from ${s}.account_records) as account_records, (select count(*)::int from ${s}.accounts) as accounts,
              (select count(*)::int from ${s}.person_records) as person_records, (select count(*)::int from ${s}.persons) as persons`,
    );
    expect(counts).toEqual({ account_records: 50, accounts: 50, person_records: 1000, persons: 1000 });
    const last = await rows(
      `select 'account' as kind, source_key, name as value from ${s}.account_records where source_key = '50'
       union all select 'user', source_key, email from ${s}.person_records where source_key = '1000' order by 1`,
    );
    expect(last).toEqual([
      { kind: 'account', source_key: '50', value: 'Y-find' },
      { kind: 'user', source_key: '1000', value: 'tmaccostyrr@demo.com' },
    ]);
  });

  it('makes one profile per account and per user, with their identities', async () => {
    expect(stitch).toEqual([
      { entity: 'account', records: 50, profiles: 50, conflicts: 0 },
      { entity: 'person', records: 1000, profiles: 1000, conflicts: 0 },
    ]);
    const identities = await rows(
      `select entity, namespace, count(*)::int as n from ${s}.record_identities group by 1, 2 order by 1, 2`,
    );
    expect(identities).toEqual([
      { entity: 'account', namespace: 'appAccountId', n: 50 },
      { entity: 'account', namespace: 'domain', n: 50 },
      { entity: 'person', namespace: 'appUserId', n: 1000 },
      { entity: 'person', namespace: 'email', n: 1000 },
    ]);
  });

  it("links each of the 984 users with an account_id to that account's profile", async () => {
    const [links] = await rows(
      `select count(*) filter (where ur.account_key is not null)::int as with_account_id,
              count(*) filter (where p.account_id = ar.account_id)::int as linked_to_it,
              count(*) filter (where ur.account_key is not null and p.account_id is distinct from ar.account_id)::int as wrong
       from ${s}.person_records ur join ${s}.persons p on p.id = ur.person_id
       left join ${s}.account_records ar on ar.source_object = 'accounts' and ar.source_key = ur.account_key`,
    );
    expect(links).toEqual({ with_account_id: 984, linked_to_it: 984, wrong: 0 });
  });

  it('puts named users in their companies, as users.csv and accounts.csv say', async () => {
    const people = await rows(
      `select p.first_name || ' ' || p.last_name as person, a.name as account, a.domain
       from ${s}.persons p left join ${s}.accounts a on a.id = p.account_id
       where p.email in ('ghyndman0@demo.com', 'bfosh1@demo.com', 'cmcgeachierq@demo.com', 'tmaccostyrr@demo.com') order by 1`,
    );
    expect(people).toEqual([
      { person: 'Batholomew Fosh', account: 'Stim', domain: 'stim.com' },
      { person: 'Correy McGeachie', account: 'Prodder', domain: 'prodder.com' },
      { person: 'Guthry Hyndman', account: 'Fintone', domain: 'fintone.com' },
      { person: 'Therine MacCosty', account: 'Tres-Zap', domain: 'tres-zap.com' },
    ]);
    const sizes = await rows(
      `select a.name, count(p.id)::int as people from ${s}.accounts a left join ${s}.persons p on p.account_id = a.id
       where a.name in ('Sub-Ex', 'Aerified', 'Y-find') group by a.name order by a.name`,
    );
    expect(sizes).toEqual([
      { name: 'Aerified', people: 21 },
      { name: 'Sub-Ex', people: 34 },
      { name: 'Y-find', people: 17 },
    ]);
  });

  it('leaves the 16 users with an empty account_id without an account', async () => {
    const unlinked = await rows<{ email: string }>(
      `select p.email from ${s}.persons p where p.account_id is null order by p.email`,
    );
    expect(unlinked).toHaveLength(16);
    expect(unlinked.map((u) => u.email)).toContain('rdecaville9@demo.com');
    const [keys] = await rows(
      `select count(*)::int as n from ${s}.person_records r join ${s}.persons p on p.id = r.person_id
       where p.account_id is null and r.account_key is not null`,
    );
    expect(keys).toEqual({ n: 0 });
  });
});
