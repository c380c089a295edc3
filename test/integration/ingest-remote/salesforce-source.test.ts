import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigDir } from '../../support/config-dir';
import { roster, rosterAsync } from '../../support/run-roster';
import { type SalesforceServer, startSalesforceServer } from '../../support/salesforce/salesforce-server';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const sandbox = uniqueSandbox('sf');
let pool: Pool;
let server: SalesforceServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pool = await testPool();
  server = await startSalesforceServer({ pageSize: 3, sessionCalls: 4 });
  env = { DATABASE_URL: await testDatabaseUrl(), SF_SECRET: server.script.clientSecret };
  const dir = await writeConfigDir({
    'salesforce.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: sfdc }
spec:
  type: salesforce
  salesforce:
    instanceUrl: ${server.url}
    clientId: ${server.script.clientId}
    clientSecret: '{{ secret("SF_SECRET") }}'
  objects:
    - { name: Account, entity: account, preset: salesforce/Account, identities: { crmAccountId: Id } }
    - { name: Contact, entity: person, preset: salesforce/Contact, identities: { crmContactId: Id, email: Email } }
`,
    'identity.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [sfdc]
  person: { namespaces: [{ name: crmContactId, type: crm-id, unique: true }, { name: email, type: email }] }
  account: { namespaces: [{ name: crmAccountId, type: crm-id, unique: true }] }
`,
  });
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
});

afterAll(async () => {
  await server.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

/** Async: the fake server runs in this process, so a synchronous child would deadlock it. */
async function run() {
  const result = await rosterAsync(['source', 'run', 'sfdc', '--sandbox', sandbox, '--format', 'json'], env).done;
  expect(result.stderr).not.toContain(server.script.clientSecret);
  return { code: result.code, json: JSON.parse(result.stdout || '{}'), stderr: result.stderr };
}

describe('a salesforce source against a server that follows the REST protocol', () => {
  it('pages through every record with nextRecordsUrl, renews an expired session, and links contacts to accounts', async () => {
    const first = await run();
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ status: 'succeeded', read: 20, written: 20, quarantined: 0 });
    expect(server.tokens.length).toBeGreaterThan(1); // the session expired mid-run and was renewed
    const { rows } = await pool.query(
      `select p.first_name || ' ' || p.last_name as name, a.name as account from roster_${sandbox}.persons p join roster_${sandbox}.accounts a on a.id = p.account_id order by 1`,
    );
    expect(rows).toHaveLength(10);
    expect(rows.find((r) => r.name === 'Rose Gonzalez')?.account).toBe('Edge Communications');
  });

  it('reads incrementally from the stored SystemModstamp watermark', async () => {
    const before = server.queryRequests().length;
    const second = await run();
    expect(second.json).toMatchObject({ status: 'succeeded', read: 0, written: 0 });
    const queries = server
      .queryRequests()
      .slice(before)
      .map((r) => r.query.q)
      .filter(Boolean);
    expect(queries).toHaveLength(2);
    for (const soql of queries)
      expect(soql).toMatch(
        /WHERE SystemModstamp > \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z ORDER BY SystemModstamp ASC, Id ASC$/,
      );
    const { rows } = await pool.query(
      `select object, watermark from roster_${sandbox}.source_watermarks order by object`,
    );
    expect(rows.map((r) => r.object)).toEqual(['Account', 'Contact']);
  });
});
