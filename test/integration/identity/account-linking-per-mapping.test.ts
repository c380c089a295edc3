/**
 * Account linking with several identity mappings: each source's records link by the
 * `accountLinking` of the mapping that stitches that source, whatever the mappings are called.
 * Data: the Grouparoo demo's accounts and users (test/fixtures/grouparoo-demo, MIT), as two sources
 * of one mapping linking by the application's account id, next to a CRM mapping linking by
 * crmAccountId.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStitch } from '../../../engine/identity/run-stitch';
import { runSourceIngest } from '../../../engine/ingest/run-source-ingest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { FIXTURES, makeWorkspace, RosterCli, type Workspace, writeFiles } from '../ingest/ingest-kit';

const DEMO = path.join(FIXTURES, 'grouparoo-demo');

/** The config with the demo's mapping named `name`; the CRM mapping is `marketing-identity`, between the two names tried. */
function config(name: string, crmDir: string): Record<string, string> {
  return {
    'demo.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: gd-accounts }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(DEMO)} }
  objects:
    - { name: accounts, entity: account, path: accounts.csv, key: id, fields: { name: name, domain: domain }, identities: { appAccountId: id, domain: domain } }
---
apiVersion: roster/v1
kind: Source
metadata: { name: gd-users }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(DEMO)} }
  objects:
    - { name: users, entity: person, path: users.csv, key: id, fields: { firstName: first_name, email: email, account: account_id }, identities: { email: email, appUserId: id } }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ${name} }
spec:
  sources: [gd-accounts, gd-users]
  person: { namespaces: [{ name: appUserId, type: crm-id, unique: true }, { name: email, type: email }] }
  account: { namespaces: [{ name: appAccountId, type: crm-id, unique: true }, { name: domain, type: domain }] }
  accountLinking: { byNamespace: appAccountId }
`,
    'crm.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(crmDir)} }
  objects:
    - { name: accounts, entity: account, path: accounts.csv, key: id, fields: { name: name }, identities: { crmAccountId: id } }
    - { name: contacts, entity: person, path: contacts.csv, key: id, fields: { email: email, account: account_id }, identities: { crmContactId: id, mail: email } }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: marketing-identity }
spec:
  sources: [crm]
  person: { namespaces: [{ name: crmContactId, type: crm-id, unique: true }, { name: mail, type: email }] }
  account: { namespaces: [{ name: crmAccountId, type: crm-id, unique: true }] }
  accountLinking: { byNamespace: crmAccountId }
`,
  };
}

const CASES = [
  { name: 'gd-identity', order: ['gd-accounts', 'gd-users', 'crm'] },
  { name: 'gd-identity', order: ['gd-users', 'crm', 'gd-accounts'] },
  { name: 'zgd-identity', order: ['gd-accounts', 'gd-users', 'crm'] },
  { name: 'zgd-identity', order: ['gd-users', 'crm', 'gd-accounts'] },
];

describe('account linking with several identity mappings', () => {
  let pool: Pool;
  let workspace: Workspace;
  const sandboxes: string[] = [];
  const links = new Map<string, { users: number; linked: number; right: number; crmContact: string | null }>();

  beforeAll(async () => {
    pool = await testPool(4);
    workspace = makeWorkspace('link-per-mapping');
    const cli = new RosterCli(await testDatabaseUrl());
    const crmDir = workspace.data;
    writeFiles(crmDir, {
      'accounts.csv': 'id,name\nA-1,Crm Account\n',
      'contacts.csv': 'id,email,account_id\nC-1,kim@crm.example,A-1\n',
    });
    for (const [i, { name, order }] of CASES.entries()) {
      const sandbox = uniqueSandbox(`lpm${i}`);
      sandboxes.push(sandbox);
      const dir = path.join(workspace.config, `case-${i}`);
      mkdirSync(dir);
      writeFiles(dir, config(name, crmDir));
      cli.apply(dir, sandbox);
      for (const source of order) {
        const result = await runSourceIngest(pool, sandbox, source, { trigger: 'manual', env: {} });
        expect(result.status, `${source}: ${result.error ?? ''}`).toBe('succeeded');
        await runStitch(pool, sandbox);
      }
      links.set(`${name} ${order.join(',')}`, await readLinks(pool, sandboxSchema(sandbox)));
    }
  }, 240_000);

  afterAll(async () => {
    await dropSandboxes(pool, sandboxes);
    await pool.end();
    workspace.remove();
  });

  for (const { name, order } of CASES) {
    it(`links all 984 demo users with an account_id to that account, and the CRM contact by crmAccountId (mapping ${name}, sources run ${order.join(', ')})`, () => {
      expect(links.get(`${name} ${order.join(',')}`)).toEqual({
        users: 1000,
        linked: 984,
        right: 984,
        crmContact: 'crm/accounts/A-1',
      });
    });
  }
});

/** Users, users linked to an account, users linked to the account their account_id names; the CRM contact's account. */
async function readLinks(pool: Pool, s: string) {
  const { rows } = await pool.query(
    `select count(*)::int as users, count(p.account_id)::int as linked,
       count(*) filter (where a.canonical_key = 'gd-accounts/accounts/' || ur.account_key)::int as "right",
       (select a2.canonical_key from ${s}.person_records cr join ${s}.persons p2 on p2.id = cr.person_id
        join ${s}.accounts a2 on a2.id = p2.account_id where cr.source_name = 'crm') as "crmContact"
     from ${s}.person_records ur join ${s}.persons p on p.id = ur.person_id left join ${s}.accounts a on a.id = p.account_id
     where ur.source_name = 'gd-users'`,
  );
  return rows[0];
}
