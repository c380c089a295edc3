import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRosterServer } from '../../../engine/server/roster-server';
import { writeConfigDir } from '../../support/config-dir';
import { roster } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const TOKEN = 'push-token-for-tests';
const sandbox = uniqueSandbox('push');
let pool: Pool;
let server: Server;
let base: string;

const CONFIG = {
  'events.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: site-events }
spec:
  type: http
  http: { token: '{{ secret("PUSH_TOKEN") }}', maxBatchRecords: 5 }
  objects:
    - name: events
      entity: event
      fields: { type: type, occurredAt: occurredAt, url: page.url }
      identities: { email: email }
`,
  'identity.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [site-events]
  person: { namespaces: [{ name: email, type: email }] }
`,
};

beforeAll(async () => {
  pool = await testPool();
  const env = { DATABASE_URL: await testDatabaseUrl() };
  const dir = await writeConfigDir(CONFIG);
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
  server = createRosterServer({ pool, sandbox, env: { PUSH_TOKEN: TOKEN }, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

function post(body: string, token = TOKEN) {
  return fetch(`${base}/v1/sources/site-events/batches`, {
    method: 'POST',
    body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

async function counts() {
  const { rows } = await pool.query(
    `select (select count(*)::int from roster_${sandbox}.events) as events, (select count(*)::int from roster_${sandbox}.ingest_runs) as runs`,
  );
  return rows[0] as { events: number; runs: number };
}

const event = (n: number) => ({
  type: 'web.visit',
  occurredAt: `2026-11-0${n}T10:00:00Z`,
  email: `visitor${n}@acme.example`,
  page: { url: `https://acme.example/p${n}` },
});

describe('POST /v1/sources/<name>/batches', () => {
  it('refuses an unauthenticated or wrongly authenticated batch with 401 and writes nothing', async () => {
    for (const token of ['', 'wrong-token']) {
      const response = await post(JSON.stringify({ records: [event(1)] }), token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: 'unauthorized',
        message: 'send the source token as "Authorization: Bearer <token>"',
      });
    }
    expect(await counts()).toEqual({ events: 0, runs: 0 });
  });

  it('refuses malformed bodies and oversized batches with a 4xx that says what to send, writing nothing', async () => {
    const cases: [string, number, string][] = [
      ['{"records": [', 400, 'the body is not valid JSON'],
      ['{"records": "nope"}', 400, 'the body must be {"records": [...]}'],
      [
        JSON.stringify({ records: [1, 2, 3, 4, 5, 6].map(event) }),
        413,
        '6 records in one batch; this source accepts at most 5',
      ],
      [
        JSON.stringify({ object: 'clicks', records: [event(1)] }),
        400,
        'Source/site-events has no object "clicks"; objects: events',
      ],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      expect(response.status).toBe(status);
      expect(((await response.json()) as { message: string }).message).toContain(message);
    }
    expect(await counts()).toEqual({ events: 0, runs: 0 });
  });

  it('commits a batch before answering, so its events are queryable when the request returns', async () => {
    const response = await post(JSON.stringify({ records: [event(1), event(2), event(3)] }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'succeeded', accepted: 3, quarantined: 0 });
    const { rows } = await pool.query(
      `select type, url, identity_namespace, identity_value from roster_${sandbox}.events order by occurred_at`,
    );
    expect(rows).toEqual(
      [1, 2, 3].map((n) => ({
        type: 'web.visit',
        url: `https://acme.example/p${n}`,
        identity_namespace: 'email',
        identity_value: `visitor${n}@acme.example`,
      })),
    );
  });

  it('keys events without a key by their content, so a retried batch creates no duplicates', async () => {
    const response = await post(JSON.stringify([event(1), event(2), event(3)]));
    expect(await response.json()).toMatchObject({ status: 'succeeded', accepted: 3 });
    expect((await counts()).events).toBe(3);
  });

  it('quarantines records that are not objects, and keeps the rest unless the error ratio is exceeded', async () => {
    const response = await post(JSON.stringify({ records: [event(4), 'not an object'] }));
    expect(response.status).toBe(422);
    const body = (await response.json()) as { message: string };
    expect(body).toMatchObject({ status: 'failed', quarantined: 1 });
    expect(body.message).toContain('1 of 2 records (50.0%) were quarantined');
    expect((await counts()).events).toBe(3);
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', sandbox });
  });
});
