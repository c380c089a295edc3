import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRosterMetrics } from '../../../engine/observe/roster-metrics';
import { createRosterServer } from '../../../engine/server/roster-server';
import { writeConfigDir } from '../../support/config-dir';
import { roster } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const sandbox = uniqueSandbox('ready');
const servers: Server[] = [];
let pool: Pool;

beforeAll(async () => {
  pool = await testPool();
  const dir = await writeConfigDir({
    'events.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: site-events }
spec:
  type: http
  http: { token: '{{ secret("EVENTS_TOKEN") }}' }
  objects:
    - { name: events, entity: event, fields: { type: type, occurredAt: occurredAt }, identities: { email: email } }
`,
    'ids.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [site-events]
  person: { namespaces: [{ name: email, type: email }] }
`,
  });
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], { DATABASE_URL: await testDatabaseUrl() }).code).toBe(0);
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

async function startServer(env: NodeJS.ProcessEnv, serverPool: Pool = pool): Promise<string> {
  const metrics = createRosterMetrics({ pool: serverPool, sandbox });
  // As roster run does: every logged event is also given to the metrics, which time some of them.
  const server = createRosterServer({
    pool: serverPool,
    sandbox,
    env,
    log: (entry) => metrics.observe(entry),
    metrics,
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function get(url: string, authorization?: string) {
  const response = await fetch(url, authorization ? { headers: { authorization } } : {});
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: type.includes('json') ? await response.json() : await response.text() };
}

describe('/readyz', () => {
  it('answers 503 naming the source and its unset variable, and 200 once it is set', async () => {
    expect(await get(`${await startServer({})}/readyz`)).toEqual({
      status: 503,
      body: {
        status: 'missing secrets',
        sandbox,
        missingSecrets: [{ resource: 'Source/site-events', variable: 'EVENTS_TOKEN' }],
        message: 'set EVENTS_TOKEN in the environment of roster run (Source/site-events needs EVENTS_TOKEN)',
      },
    });
    expect(await get(`${await startServer({ EVENTS_TOKEN: 't' })}/readyz`)).toEqual({
      status: 200,
      body: { status: 'ready', sandbox },
    });
  });

  it('answers 503 when the database does not answer', async () => {
    // A pool to a port nothing listens on: the database as a stopped server looks to the client.
    const down = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', connectionTimeoutMillis: 2000 });
    try {
      expect(await get(`${await startServer({ EVENTS_TOKEN: 't' }, down)}/readyz`)).toEqual({
        status: 503,
        body: { status: 'database unavailable', sandbox },
      });
    } finally {
      await down.end();
    }
  });
});

describe('/metrics', () => {
  it('is off without ROSTER_API_TOKEN or ROSTER_METRICS_OPEN, needs the token when one is set, and is open with ROSTER_METRICS_OPEN=1', async () => {
    expect(await get(`${await startServer({})}/metrics`)).toEqual({
      status: 503,
      body: {
        error: 'not_configured',
        message:
          'set ROSTER_API_TOKEN (scrape with it as a bearer token) or ROSTER_METRICS_OPEN=1 where roster run runs to enable /metrics',
      },
    });
    const guarded = await startServer({ ROSTER_API_TOKEN: 'scrape-token' });
    expect((await get(`${guarded}/metrics`)).status).toBe(401);
    expect((await get(`${guarded}/metrics`, 'Bearer wrong')).status).toBe(401);
    const scraped = await get(`${guarded}/metrics`, 'Bearer scrape-token');
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain('# TYPE roster_ingested_records_total counter');
    const open = await get(`${await startServer({ ROSTER_METRICS_OPEN: '1' })}/metrics`);
    expect(open.status).toBe(200);
    expect(open.body).toContain('roster_db_pool_connections{state="total"}');
  });

  it('times every pushed batch in roster_push_batch_duration_seconds, by source and status', async () => {
    const base = await startServer({ ROSTER_METRICS_OPEN: '1', EVENTS_TOKEN: 'push-token' });
    const push = (records: unknown[]) =>
      fetch(`${base}/v1/sources/site-events/batches`, {
        method: 'POST',
        headers: { authorization: 'Bearer push-token', 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
      });
    const event = (n: number) => ({
      type: 'page.view',
      occurredAt: `2026-05-01T10:00:0${n}Z`,
      email: `p${n}@acme.example`,
    });
    expect((await push([event(1), event(2)])).status).toBe(200);
    expect((await push([event(3)])).status).toBe(200);
    const { body } = await get(`${base}/metrics`);
    expect(body).toContain('# TYPE roster_push_batch_duration_seconds histogram');
    expect(body).toContain('roster_push_batch_duration_seconds_count{source="site-events",status="succeeded"} 2');
  });
});
