import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigDir } from '../../support/config-dir';
import { forgetMarketoInstance } from '../../support/marketo/forget-marketo-instance';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { roster, rosterAsync } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const sandbox = uniqueSandbox('mkto');
let pool: Pool;
let server: MarketoServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pool = await testPool();
  server = await startMarketoServer({ tokenCallsPerToken: 7, statusPollsBeforeDone: 3 });
  env = {
    DATABASE_URL: await testDatabaseUrl(),
    MKTO_SECRET: server.clientSecret,
    ROSTER_MARKETO_POLL_INTERVAL_MS: '5',
  };
  const dir = await writeConfigDir({
    'marketo.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: mkto }
spec:
  type: marketo
  marketo:
    endpoint: ${server.url}
    clientId: ${server.clientId}
    clientSecret: '{{ secret("MKTO_SECRET") }}'
    backfillDays: 70
  objects:
    - { name: leads, entity: person, preset: marketo/leads, identities: { marketoLeadId: id, email: email } }
    - { name: activities, entity: event, preset: marketo/activities }
`,
    'identity.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [mkto]
  person: { namespaces: [{ name: marketoLeadId, type: marketo-id, unique: true }, { name: email, type: email }] }
`,
  });
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
  await forgetMarketoInstance(pool, server.url); // roster_shared exists once a sandbox is migrated
});

afterAll(async () => {
  await forgetMarketoInstance(pool, server.url);
  await server.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

describe('a marketo source against a server that follows the REST and bulk extract protocol', () => {
  it('extracts leads and activities in windows of at most 31 days, polling each job, renewing the token, and loads them', async () => {
    // Async: the fake server runs in this process, so a synchronous child would deadlock it.
    const result = await rosterAsync(['source', 'run', 'mkto', '--sandbox', sandbox, '--format', 'json'], env).done;
    expect(result.stderr).not.toContain(server.clientSecret);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ status: 'succeeded', quarantined: 0 });

    const creates = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/export/create.json'));
    // A create answered 602 (expired token) is sent again, so count distinct jobs.
    const jobs = new Set(creates.map((r) => `${r.path} ${JSON.stringify(JSON.parse(r.body).filter)}`));
    expect(jobs.size).toBe(2 * 3); // 70 days: 3 windows per object
    const windows = creates.map((r) => JSON.parse(r.body).filter as Record<string, { startAt: string; endAt: string }>);
    for (const filter of windows) {
      const { startAt, endAt } = Object.values(filter)[0]!;
      expect(Date.parse(endAt) - Date.parse(startAt)).toBeLessThanOrEqual(31 * 86_400_000);
    }
    expect(server.requests.filter((r) => r.path.endsWith('/oauth/token')).length).toBeGreaterThan(1);
    expect(server.requests.filter((r) => r.path.endsWith('/status.json')).length).toBeGreaterThanOrEqual(jobs.size * 2); // polled until done

    const { rows } = await pool.query(
      `select (select count(*)::int from roster_${sandbox}.person_records) as leads, (select count(*)::int from roster_${sandbox}.events) as events,
              (select count(*)::int from roster_${sandbox}.person_records where email = 'null') as literal_nulls`,
    );
    expect(rows[0].leads).toBeGreaterThan(0);
    expect(rows[0].events).toBeGreaterThan(0);
    expect(rows[0].literal_nulls).toBe(0);
  });

  it("counts its calls against the instance's daily quota, shared with the instance's destinations", async () => {
    const { rows } = await pool.query<{ calls: number }>(
      'select quota_calls as calls from roster_shared.marketo_instances where instance = $1',
      [new URL(server.url).host],
    );
    // Each call once: a call Marketo refused for its token (601/602) is sent again, not counted again.
    const calls = server.requests.filter(
      (r) => !r.path.startsWith('/identity/') && r.answered !== '601' && r.answered !== '602',
    );
    expect(rows[0]?.calls).toBe(calls.length);
  });

  it('sends only a bearer token, never the client secret, to the API', () => {
    for (const request of server.requests.filter((r) => !r.path.endsWith('/oauth/token'))) {
      expect(JSON.stringify(request.query)).not.toContain(server.clientSecret);
      expect(String(request.headers.authorization)).toMatch(/^Bearer /);
    }
  });
});
