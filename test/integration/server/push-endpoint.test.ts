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
let env: NodeJS.ProcessEnv;
const logged: Record<string, unknown>[] = [];

const CONFIG = {
  'events.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: site-events }
spec:
  type: http
  http: { token: '{{ secret("PUSH_TOKEN") }}', maxBatchRecords: 8 }
  objects:
    - name: events
      entity: event
      fields: { type: type, occurredAt: occurredAt, url: page.url }
      identities: { email: email }
`,
  'strict-events.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: strict-events }
spec:
  type: http
  http: { token: '{{ secret("PUSH_TOKEN") }}' }
  badRecords: { maxErrorRatio: 0.25 }
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
  sources: [site-events, strict-events]
  person: { namespaces: [{ name: email, type: email }] }
`,
};

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  const dir = await writeConfigDir(CONFIG);
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
  server = createRosterServer({ pool, sandbox, env: { PUSH_TOKEN: TOKEN }, log: (entry) => logged.push(entry) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

function post(body: string, token = TOKEN, source = 'site-events') {
  return postAuthorized(body, token ? `Bearer ${token}` : undefined, source);
}

function postAuthorized(body: string, authorization: string | undefined, source = 'site-events') {
  return fetch(`${base}/v1/sources/${source}/batches`, {
    method: 'POST',
    body,
    headers: authorization === undefined ? {} : { authorization },
  });
}

/** Events of the sandbox by URL, read with independent SQL. */
async function storedUrls(): Promise<string[]> {
  const { rows } = await pool.query(`select url from roster_${sandbox}.events order by url`);
  return rows.map((r) => r.url);
}

/** The quarantine of a run, read with independent SQL. */
async function quarantineOf(runId: number) {
  const { rows } = await pool.query(
    `select origin, record_index::int as index, field, reason from roster_${sandbox}.quarantine where run_id = $1 order by record_index`,
    [runId],
  );
  return rows;
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
    const refused = [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer wrong-token',
      `Bearer ${TOKEN}x`,
      `Bearer x${TOKEN}`,
      `Basic ${TOKEN}`,
      `Bearer${TOKEN}`,
      `Bearer ${TOKEN} extra`,
      `Token ${TOKEN}`,
    ];
    for (const authorization of refused) {
      const response = await postAuthorized(JSON.stringify({ records: [event(1)] }), authorization);
      expect(response.status, `authorization ${authorization}`).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toEqual({
        error: 'unauthorized',
        message: 'send the source token as "Authorization: Bearer <token>"',
      });
    }
    expect(await counts()).toEqual({ events: 0, runs: 0 });
  });

  it('takes the Bearer scheme in any case and with extra spaces (RFC 7235), with the right token only', async () => {
    for (const authorization of [`bearer ${TOKEN}`, `BEARER ${TOKEN}`, `BeArEr   ${TOKEN}`, `  Bearer ${TOKEN}  `]) {
      const response = await postAuthorized('[]', authorization);
      expect(response.status, `authorization ${authorization}`).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'succeeded', received: 0, accepted: 0, rejected: [] });
    }
    await pool.query(`delete from roster_${sandbox}.ingest_runs`);
  });

  it('refuses malformed bodies and oversized batches with a 4xx that says what to send, writing nothing', async () => {
    const cases: [string, number, string][] = [
      ['{"records": [', 400, 'the body is not valid JSON'],
      ['{"records": "nope"}', 400, 'the body must be {"records": [...]}'],
      [
        JSON.stringify({ records: [1, 2, 3, 4, 5, 6, 7, 8, 9].map(event) }),
        413,
        '9 records in one batch; this source accepts at most 8',
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

  it('stores the good records of a batch with a bad one and answers 200 with the rejected record, its index and reason', async () => {
    const before = await storedUrls();
    const records = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({
      ...event(n),
      page: { url: `https://acme.example/mixed${n}` },
    }));
    records[5] = { ...records[5]!, occurredAt: 'yesterday' };
    const response = await post(JSON.stringify({ records }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runId: number };
    const reason =
      'occurredAt: "yesterday" is not an ISO 8601 date-time (2026-01-31T12:00:00Z)' +
      "; set the field's format (e.g. MM/dd/yyyy) if it is written another way";
    expect(body).toEqual({
      runId: body.runId,
      status: 'succeeded',
      received: 8,
      accepted: 7,
      quarantined: 1,
      rejected: [{ index: 5, field: 'occurredAt', reason }],
    });
    const added = [1, 2, 3, 4, 5, 7, 8].map((n) => `https://acme.example/mixed${n}`);
    expect(await storedUrls()).toEqual([...before, ...added].sort());
    expect(await quarantineOf(body.runId)).toEqual([{ origin: 'request', index: 5, field: 'occurredAt', reason }]);
    const errors = roster(['source', 'errors', 'site-events', '--sandbox', sandbox, '--format', 'json'], env);
    expect(JSON.parse(errors.stdout)).toMatchObject({
      runId: body.runId,
      total: 1,
      records: [{ origin: 'request', recordIndex: 5, field: 'occurredAt', reason }],
    });
    expect(logged.find((e) => e.msg === 'batch pushed' && e.runId === body.runId)).toEqual({
      level: 'warn',
      msg: 'batch pushed',
      source: 'site-events',
      runId: body.runId,
      status: 'succeeded',
      received: 8,
      accepted: 7,
      quarantined: 1,
      reasons: [`#5: ${reason}`],
      milliseconds: expect.any(Number),
    });
  });

  it("rejects a batch whole with 422 when its bad records pass the source's error ratio, listing each", async () => {
    const before = await storedUrls();
    const records = [1, 2, 3, 4].map((n) => ({ ...event(n), page: { url: `https://acme.example/strict${n}` } }));
    const response = await post(
      JSON.stringify([records[0], 'not an object', records[2], { ...records[3], occurredAt: 7 }]),
      TOKEN,
      'strict-events',
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { runId: number };
    const message =
      "2 of 4 records (50.0%) were quarantined, over the source's maxErrorRatio of 0.25; nothing from this run was written — fix the records listed by `roster source errors strict-events` or raise badRecords.maxErrorRatio";
    const rejected = [
      { index: 1, field: null, reason: 'the record is a string, not a JSON object' },
      {
        index: 3,
        field: 'occurredAt',
        reason:
          'occurredAt: "7" is not an ISO 8601 date-time (2026-01-31T12:00:00Z)' +
          "; set the field's format (e.g. MM/dd/yyyy) if it is written another way",
      },
    ];
    expect(body).toEqual({
      runId: body.runId,
      status: 'failed',
      error: 'error_ratio_exceeded',
      message,
      received: 4,
      accepted: 0,
      quarantined: 2,
      rejected,
    });
    expect(await storedUrls()).toEqual(before);
    expect(await quarantineOf(body.runId)).toEqual(rejected.map((r) => ({ origin: 'request', ...r })));
    expect(logged.find((e) => e.runId === body.runId)).toMatchObject({
      level: 'error',
      quarantined: 2,
      error: message,
    });
  });

  it('rejects hostile records one by one (deep nesting, NUL, unpaired surrogates), stores the rest, never answers 500', async () => {
    const before = await storedUrls();
    const good = (n: number) => ({ ...event(n), page: { url: `https://acme.example/hostile${n}` } });
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const body = `{"records": [${[
      JSON.stringify(good(1)),
      deep,
      JSON.stringify({ ...good(2), type: 'web\u0000visit' }),
      JSON.stringify({ ...good(3), 'na\u0000me': 'x' }),
      JSON.stringify(good(4)),
      '{"type": "web.visit", "occurredAt": "2026-11-05T10:00:00Z", "email": "\\ud800@acme.example"}',
      '[[[[]]]]',
      JSON.stringify(good(5)),
    ].join(',')}]}`;
    const response = await post(body);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { runId: number };
    const rejected = [
      {
        index: 1,
        field: `a${'.0'.repeat(31)}`,
        reason: `nested more than 32 levels deep (at a${'.0'.repeat(31)}); send flatter records`,
      },
      {
        index: 2,
        field: 'type',
        reason: 'type: the value holds a NUL character (\\u0000), which PostgreSQL text cannot store',
      },
      {
        index: 3,
        field: 'na\\u0000me',
        reason: 'na\\u0000me: the field name holds a NUL character (\\u0000), which PostgreSQL text cannot store',
      },
      {
        index: 5,
        field: 'email',
        reason:
          'email: the value holds an unpaired UTF-16 surrogate (an escape such as \\ud800 alone), which is not Unicode text',
      },
      { index: 6, field: null, reason: 'the record is an array, not a JSON object' },
    ];
    expect(answer).toEqual({
      runId: answer.runId,
      status: 'succeeded',
      received: 8,
      accepted: 3,
      quarantined: 5,
      rejected,
    });
    expect(await storedUrls()).toEqual([...before, ...[1, 4, 5].map((n) => `https://acme.example/hostile${n}`)].sort());
    expect(await quarantineOf(answer.runId)).toEqual(rejected.map((r) => ({ origin: 'request', ...r })));
  });

  it('quarantines a record over badRecords.maxRecordBytes by its size and keeps the batch', async () => {
    const huge = { ...event(6), page: { url: `https://acme.example/${'x'.repeat(2 * 1024 * 1024)}` } };
    const response = await post(JSON.stringify([huge, { ...event(7), page: { url: 'https://acme.example/small' } }]));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { runId: number; rejected: { reason: string }[] };
    expect(body).toMatchObject({ received: 2, accepted: 1, quarantined: 1, rejected: [{ index: 0, field: null }] });
    expect(body.rejected[0]!.reason).toMatch(
      /^the record is 2097\d{3} bytes as JSON, over the source's 1048576-byte limit \(badRecords.maxRecordBytes\)$/,
    );
    expect(await storedUrls()).toContain('https://acme.example/small');
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', sandbox });
  });
});
