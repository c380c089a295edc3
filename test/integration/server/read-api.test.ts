import { promises as fs } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateSegment } from '../../../engine/segment/evaluate-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import { createRosterServer } from '../../../engine/server/roster-server';
import { writeConfigDir } from '../../support/config-dir';
import { crmPeopleConfig } from '../../support/crm-people-config';
import { roster } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const TOKEN = 'read-api-token-for-tests';
const sandbox = uniqueSandbox('readapi');
const schema = `roster_${sandbox}`;
const FIRST_RUN = new Date('2026-03-01T10:00:00Z');
const SECOND_RUN = new Date('2026-03-02T10:00:00Z');
const servers: Server[] = [];
const ALLOWED_AS_OF =
  'an ISO 8601 date or time with a zone from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, e.g. 2026-01-31T12:00:00Z (write a + as %2B)';
const ALLOWED_IDENTITY = 'namespace:value, e.g. crmContactId:0038c000037xS9YAAU (text without %00)';
let pool: Pool;
let env: NodeJS.ProcessEnv;
let dir: string;
let base: string;

const PEOPLE = [
  'id,email,title',
  '1,ada@acme.example,VP Engineering',
  '2,bob@acme.example,Analyst',
  '3,cy@acme.example,vp sales',
  '4,dee@acme.example,VP Marketing',
  '5,eve@acme.example,Engineer',
];

const CONFIG = {
  ...crmPeopleConfig(),
  'vps.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: vps }
spec:
  subject: person
  evaluation: batch
  where: { attribute: jobTitle, op: contains, value: vp }
`,
  'vp-followers.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: vp-followers }
spec:
  subject: person
  evaluation: batch
  where: { all: [{ inSegment: vps }, { attribute: email, op: contains, value: zz }] }
`,
  'exports.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: exports }
spec:
  type: file
  file: { directory: out }
  segments: [{ segment: vps }]
`,
};

/** Starts an in-process server (of the test's sandbox unless told) with `serverEnv`; returns its base URL. */
async function startServer(
  serverEnv: NodeJS.ProcessEnv,
  options: { sandbox?: string; log?: (entry: Record<string, unknown>) => void } = {},
) {
  const server = createRosterServer({
    pool,
    sandbox: options.sandbox ?? sandbox,
    env: serverEnv,
    log: options.log ?? (() => {}),
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function evaluateVps(now: Date) {
  const segment = (await readAppliedSegments(pool, sandbox)).find((s) => s.name === 'vps')!;
  await evaluateSegment(pool, sandbox, segment, now);
}

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  dir = await writeConfigDir(CONFIG);
  await fs.mkdir(path.join(dir, 'data'));
  const people = path.join(dir, 'data', 'people.csv');
  await fs.writeFile(people, `${PEOPLE.join('\n')}\n`);
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
  await evaluateVps(FIRST_RUN);
  // Ada stops being a VP: the second run has one exit, so the membership differs from the first's.
  await fs.writeFile(people, `${PEOPLE.join('\n').replace('VP Engineering', 'Director')}\n`);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
  await evaluateVps(SECOND_RUN);
  expect(roster(['destination', 'activate', 'exports', '--sandbox', sandbox], env, dir).code).toBe(0);
  base = await startServer({ ROSTER_API_TOKEN: TOKEN });
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

/** GETs `route` with `token` as bearer (none when empty); status, headers and JSON body. */
async function get(route: string, token = TOKEN, at = base) {
  const response = await fetch(`${at}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, headers: response.headers, body: (await response.json()) as unknown };
}

async function personId(email: string): Promise<number> {
  const { rows } = await pool.query(`select id::int from ${schema}.persons where email = $1`, [email]);
  return rows[0].id;
}

/** The segment's current members, read independently of the code under test. */
async function membersBySql(segment: string) {
  const { rows } = await pool.query(
    `select m.subject_id::int as "subjectId", m.entered_at, p.email from ${schema}.segment_memberships m
     join ${schema}.persons p on p.id = m.subject_id where m.segment = $1 order by m.subject_id`,
    [segment],
  );
  return rows.map((r) => ({
    subjectId: r.subjectId,
    enteredAt: (r.entered_at as Date).toISOString().replace('.000Z', 'Z'),
    label: r.email,
    detail: null,
  }));
}

async function runsBySql(segment: string) {
  const { rows } = await pool.query(
    `select run_id::int as "runId", evaluated_at, revision, mode, size::int, entered::int, exited::int
     from ${schema}.segment_runs where segment = $1 and status = 'succeeded' order by run_id desc`,
    [segment],
  );
  return rows.map(({ evaluated_at, ...run }) => ({
    ...run,
    evaluatedAt: (evaluated_at as Date).toISOString().replace('.000Z', 'Z'),
  }));
}

describe('GET /v1/persons', () => {
  it('answers the unified profile by id, by email (any case) and by namespace:value identity alike', async () => {
    const id = await personId('cy@acme.example');
    const byId = await get(`/v1/persons/${id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      id,
      attributes: { email: 'cy@acme.example', jobTitle: 'vp sales' },
      identities: [{ namespace: 'email', value: 'cy@acme.example' }],
      account: null,
      records: [{ source: 'crm', object: 'people', key: '3' }],
    });
    expect(await get('/v1/persons?email=CY%40acme.example')).toEqual({ ...byId, headers: expect.anything() });
    expect((await get('/v1/persons?identity=email:cy@acme.example')).body).toEqual(byId.body);
  });

  it('answers 404 naming what was looked up when no person matches', async () => {
    const notFound = (what: string) => ({
      error: 'unknown_person',
      message: `no person in sandbox ${sandbox} has ${what}; check the value, or run the sources and stitching first (roster source run)`,
    });
    expect(await get('/v1/persons/999999')).toMatchObject({ status: 404, body: notFound('id 999999') });
    expect(await get('/v1/persons?email=nobody@acme.example')).toMatchObject({
      status: 404,
      body: notFound('email nobody@acme.example'),
    });
    expect(await get('/v1/persons?identity=crmContactId:003X')).toMatchObject({
      status: 404,
      body: notFound('identity crmContactId:003X'),
    });
  });

  it('answers 400 for a lookup that is not exactly one well-formed id, email or identity', async () => {
    const exactlyOne = 'give exactly one of ?email=ADDRESS or ?identity=NAMESPACE:VALUE, or ask for /v1/persons/<id>';
    const cases: [string, string][] = [
      ['/v1/persons', exactlyOne],
      ['/v1/persons?email=a@acme.example&identity=email:a@acme.example', exactlyOne],
      [
        '/v1/persons/ada',
        'person id "ada" is not a number; find a person by ?email=ADDRESS or ?identity=NAMESPACE:VALUE',
      ],
      ['/v1/persons?identity=ada', `identity "ada" must be ${ALLOWED_IDENTITY}`],
      ['/v1/persons/1?email=x', 'unknown query parameter "email"; this route accepts no query parameters'],
    ];
    for (const [route, message] of cases)
      expect(await get(route)).toMatchObject({ status: 400, body: { error: 'bad_request', message } });
  });
});

describe('GET /v1/segments', () => {
  it('lists the applied segments with revision, evaluation mode and why, current size and last run', async () => {
    const { rows } = await pool.query(
      `select name, revision from ${schema}.resources where kind = 'Segment' order by name`,
    );
    const revision = Object.fromEntries(rows.map((r) => [r.name, r.revision]));
    const vps = {
      name: 'vps',
      subject: 'person',
      revision: revision.vps,
      evaluation: { requested: 'batch', mode: 'batch', reason: 'batch was requested', blockers: [] },
      destinations: ['exports'],
      dependsOn: [],
      size: (await membersBySql('vps')).length,
      lastRun: (await runsBySql('vps'))[0],
    };
    const { status, body } = await get('/v1/segments');
    expect(status).toBe(200);
    expect(body).toEqual({
      sandbox,
      segments: [
        {
          name: 'vp-followers',
          subject: 'person',
          revision: revision['vp-followers'],
          evaluation: { requested: 'batch', mode: 'batch', reason: 'batch was requested', blockers: [] },
          destinations: [],
          dependsOn: ['vps'],
          size: 0,
          lastRun: null,
        },
        vps,
      ],
    });
    expect(vps).toMatchObject({
      size: 2,
      lastRun: { size: 2, entered: 0, exited: 1, evaluatedAt: '2026-03-02T10:00:00Z' },
    });
    expect(await get('/v1/segments/vps')).toMatchObject({ status: 200, body: vps });
  });

  it('answers the members as `roster segment members --format json` does, equal to the membership in the database', async () => {
    const expected = await membersBySql('vps');
    const { status, body } = await get('/v1/segments/vps/members');
    expect(status).toBe(200);
    expect(body).toEqual({ segment: 'vps', total: expected.length, offset: 0, members: expected });
    const cli = roster(['segment', 'members', 'vps', '--sandbox', sandbox, '--format', 'json'], env);
    expect(JSON.parse(cli.stdout)).toEqual(body);
    expect((await get('/v1/segments/vps/members?limit=1&offset=1')).body).toEqual({
      segment: 'vps',
      total: expected.length,
      offset: 1,
      members: expected.slice(1, 2),
    });
  });

  it('rebuilds the membership at a past time from the history with asOf', async () => {
    const asOf = '2026-03-01T12:00:00Z';
    const { rows } = await pool.query(
      `select subject_id::int as id from ${schema}.segment_membership_history where segment = 'vps' and changed_at <= $1
       group by subject_id having sum(case change when 'entered' then 1 else -1 end) > 0 order by 1`,
      [asOf],
    );
    const { body } = await get(`/v1/segments/vps/members?asOf=${asOf}`);
    const page = body as { total: number; members: { subjectId: number }[] };
    expect(page.members.map((m) => m.subjectId)).toEqual(rows.map((r) => r.id));
    expect(page.total).toBe(3);
    const withOffset = await get(`/v1/segments/vps/members?asOf=${encodeURIComponent('2026-03-01T13:00:00+01:00')}`);
    expect(withOffset.body).toEqual(body);
  });

  it('answers the runs newest first, as `roster segment sizes --format json` does', async () => {
    const runs = await runsBySql('vps');
    expect(runs).toHaveLength(2);
    expect(await get('/v1/segments/vps/runs')).toMatchObject({ status: 200, body: { segment: 'vps', runs } });
    expect((await get('/v1/segments/vps/runs?limit=1')).body).toEqual({ segment: 'vps', runs: runs.slice(0, 1) });
    const cli = roster(['segment', 'sizes', 'vps', '--sandbox', sandbox, '--format', 'json'], env);
    expect(JSON.parse(cli.stdout)).toEqual({ segment: 'vps', runs });
  });

  it('answers 404 naming the applied segments for an unknown one, on every segment route', async () => {
    for (const route of ['/v1/segments/nope', '/v1/segments/nope/members', '/v1/segments/nope/runs'])
      expect(await get(route)).toMatchObject({
        status: 404,
        body: {
          error: 'unknown_segment',
          message: `Segment/nope is not applied to sandbox ${sandbox} (applied: vp-followers, vps)`,
        },
      });
  });

  it('answers 400 with every bad query parameter and what is allowed', async () => {
    const cases: [string, string][] = [
      [
        '/v1/segments/vps/members?limit=0&offset=-1&asOf=yesterday&order=name',
        'limit "0" must be an integer from 1 to 1000; offset "-1" must be an integer >= 0; ' +
          'asOf "yesterday" must be ' +
          `${ALLOWED_AS_OF}; ` +
          'unknown query parameter "order"; this route accepts limit, offset, asOf',
      ],
      ['/v1/segments/vps/members?asOf=2026-02-30', `asOf "2026-02-30" must be ${ALLOWED_AS_OF}`],
      ['/v1/segments/vps/runs?limit=1001', 'limit "1001" must be an integer from 1 to 1000'],
      ['/v1/segments/vps/runs?limit=2&limit=3', 'limit is given 2 times; give it once'],
      ['/v1/segments?limit=5', 'unknown query parameter "limit"; this route accepts no query parameters'],
    ];
    for (const [route, message] of cases)
      expect(await get(route)).toMatchObject({ status: 400, body: { error: 'bad_request', message } });
  });
});

describe('query parameters at the edges of what PostgreSQL takes', () => {
  /** GETs each route, expecting 400 with exactly `message`. */
  async function expectBadRequest(cases: [string, string][]) {
    for (const [route, message] of cases)
      expect(await get(route), route).toMatchObject({ status: 400, body: { error: 'bad_request', message } });
  }

  it('answers 400, not 500, for an asOf PostgreSQL cannot hold (year 0, past 9999 in UTC), and 200 at the ends of the range', async () => {
    await expectBadRequest(
      ['0000-01-01', '0000-12-31T23:59:59Z', '0001-01-01T00:30%2B01:00', '9999-12-31T23:30-01:00'].map((asOf) => [
        `/v1/segments/vps/members?asOf=${asOf}`,
        `asOf "${decodeURIComponent(asOf)}" must be ${ALLOWED_AS_OF}`,
      ]),
    );
    for (const asOf of ['0001-01-01', '0001-01-01T00:00:00Z', '9999-12-31', '9999-12-31T23:59:59.999Z']) {
      const { status, body } = await get(`/v1/segments/vps/members?asOf=${asOf}`);
      expect(status, asOf).toBe(200);
      expect((body as { total: number }).total, asOf).toBe(asOf.startsWith('0001') ? 0 : 2);
    }
  });

  it('answers 400 for a limit or offset that is negative, fractional, written otherwise or past the range', async () => {
    const limit = (raw: string) => `limit "${raw}" must be an integer from 1 to 1000`;
    const offset = (raw: string) => `offset "${raw}" must be an integer >= 0`;
    await expectBadRequest([
      ['/v1/segments/vps/members?limit=-1', limit('-1')],
      ['/v1/segments/vps/members?limit=1.5', limit('1.5')],
      ['/v1/segments/vps/members?limit=1e3', limit('1e3')],
      ['/v1/segments/vps/members?limit=0x10', limit('0x10')],
      ['/v1/segments/vps/members?limit=%2B5', limit('+5')],
      ['/v1/segments/vps/members?limit=%205', limit(' 5')],
      ['/v1/segments/vps/members?limit=', limit('')],
      ['/v1/segments/vps/members?limit=99999999999999999999', limit('99999999999999999999')],
      ['/v1/segments/vps/members?offset=-5', offset('-5')],
      ['/v1/segments/vps/members?offset=9007199254740992', offset('9007199254740992')],
      ['/v1/segments/vps/members?offset=1%3B%20drop%20table%20x', offset('1; drop table x')],
      ['/v1/segments/vps/runs?limit=NaN', limit('NaN')],
    ]);
    const last = await get('/v1/segments/vps/members?offset=9007199254740991&limit=1000');
    expect(last).toMatchObject({ status: 200, body: { segment: 'vps', offset: 9007199254740991, members: [] } });
  });

  it('answers 400 for a person id that is not a plain number, whatever it looks like', async () => {
    for (const id of ['-1', '1.5', '1e3', '0x10', '1%20or%201%3D1', '9999999999999999', '%00'])
      expect(await get(`/v1/persons/${id}`), id).toMatchObject({
        status: 400,
        body: {
          error: 'bad_request',
          message: `person id "${id}" is not a number; find a person by ?email=ADDRESS or ?identity=NAMESPACE:VALUE`,
        },
      });
  });

  it('answers 400 for a NUL (%00) in an email or identity, which PostgreSQL text cannot carry', async () => {
    await expectBadRequest([
      [
        '/v1/persons?email=ada%00@acme.example',
        'email "ada\u0000@acme.example" must be an email address (text without %00)',
      ],
      ['/v1/persons?identity=email:ada%00', `identity "email:ada\u0000" must be ${ALLOWED_IDENTITY}`],
      ['/v1/persons?email=%20', 'email " " must be an email address (text without %00)'],
    ]);
  });

  it('treats injection-looking values as plain values: 404 or 400, nothing changed', async () => {
    const persons = async () => (await pool.query(`select count(*)::int as n from ${schema}.persons`)).rows[0].n;
    const before = await persons();
    const cases: [string, number][] = [
      [`/v1/persons?email=${encodeURIComponent("' or '1'='1")}`, 404],
      [`/v1/persons?email=${encodeURIComponent("ada@acme.example'; drop table persons; --")}`, 404],
      [`/v1/persons?identity=${encodeURIComponent("email:x' or 1=1 --")}`, 404],
      [`/v1/persons?identity=${encodeURIComponent('email);select pg_sleep(5);--:x')}`, 404],
      [`/v1/segments/${encodeURIComponent("vps' or 1=1 --")}`, 404],
      [`/v1/segments/${encodeURIComponent('vps%00')}/members`, 404],
      [`/v1/destinations/${encodeURIComponent('exports"; --')}`, 404],
      ['/v1/segments/vps/members?asOf=2026-01-01%27%20or%201%3D1', 400],
    ];
    for (const [route, status] of cases) expect((await get(route)).status, route).toBe(status);
    expect(await persons()).toBe(before);
  });
});

describe('GET /v1/destinations', () => {
  it('answers the delivery status of every applied destination, and of one by name', async () => {
    const { rows } = await pool.query(
      `select (select count(*)::int from ${schema}.activation_outbox where destination = 'exports' and status = 'delivered') as delivered,
              (select count(*)::int from ${schema}.activation_outbox where destination = 'exports' and status = 'pending') as pending,
              (select count(*)::int from ${schema}.destination_members where destination = 'exports' and segment = 'vps') as held`,
    );
    const { delivered, pending, held } = rows[0];
    expect(delivered).toBeGreaterThan(0);
    expect(held).toBe((await membersBySql('vps')).length);
    const one = await get('/v1/destinations/exports');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      destination: 'exports',
      type: 'file',
      paused: false,
      pending,
      delivered,
      dead: 0,
      lastError: null,
      members: { vps: held },
      problems: [],
    });
    expect((one.body as { lastSuccessAt: string }).lastSuccessAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(await get('/v1/destinations')).toMatchObject({
      status: 200,
      body: { sandbox, destinations: [one.body] },
    });
  });

  it('answers 404 naming the applied destinations for an unknown one', async () => {
    expect(await get('/v1/destinations/crm-sync')).toMatchObject({
      status: 404,
      body: {
        error: 'unknown_destination',
        message: `Destination/crm-sync is not applied to sandbox ${sandbox} (applied: exports)`,
      },
    });
  });
});

describe('the read API as a whole', () => {
  const READ_ROUTES = [
    '/v1/persons/1',
    '/v1/persons?email=ada@acme.example',
    '/v1/segments',
    '/v1/segments/vps',
    '/v1/segments/vps/members',
    '/v1/segments/vps/runs',
    '/v1/destinations',
    '/v1/destinations/exports',
    '/v1/no-such-route',
  ];

  it('answers 401 on every read route without the token, with another token or another scheme', async () => {
    const unauthorized = {
      error: 'unauthorized',
      message: 'send the read API token (ROSTER_API_TOKEN) as "Authorization: Bearer <token>"',
    };
    for (const route of READ_ROUTES)
      for (const token of ['', 'wrong-token', `${TOKEN}x`]) {
        const response = await get(route, token);
        expect(response).toMatchObject({ status: 401, body: unauthorized });
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
      }
    for (const authorization of [`Basic ${TOKEN}`, 'Bearer', 'Bearer ', `Bearer${TOKEN}`, `Bearer ${TOKEN} x`]) {
      const refused = await fetch(`${base}/v1/segments`, { headers: { authorization } });
      expect(refused.status, authorization).toBe(401);
    }
  });

  it('takes the Bearer scheme in any case and with extra spaces (RFC 7235)', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer    ${TOKEN}  `]) {
      const response = await fetch(`${base}/v1/segments`, { headers: { authorization } });
      expect(response.status, authorization).toBe(200);
    }
  });

  it('is off (503) when ROSTER_API_TOKEN is not set, while push routes and health checks keep working', async () => {
    const off = await startServer({});
    for (const route of READ_ROUTES)
      for (const token of ['', TOKEN])
        expect(await get(route, token, off)).toEqual({
          status: 503,
          headers: expect.anything(),
          body: {
            error: 'not_configured',
            message: 'set ROSTER_API_TOKEN where roster run runs to enable the read API',
          },
        });
    expect((await get('/healthz', '', off)).status).toBe(200);
    expect((await get('/readyz', '', off)).status).toBe(200);
    const push = await fetch(`${off}/v1/sources/crm/batches`, { method: 'POST', body: '[]' });
    expect(push.status).toBe(404); // judged by the source (crm is not an http source), not by the read API
  });

  it('answers 405 for any method but GET, and 404 for an unknown route', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(`${base}/v1/segments/vps`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('GET');
      expect(await response.json()).toEqual({
        error: 'method_not_allowed',
        message: 'use GET (the read API is read-only)',
      });
    }
    expect(await get('/v1/no-such-route')).toMatchObject({
      status: 404,
      body: { error: 'not_found', message: 'no route GET /v1/no-such-route' },
    });
  });

  it('answers 500 without details when reading fails unexpectedly, and logs why', async () => {
    const logged: Record<string, unknown>[] = [];
    const broken = await startServer(
      { ROSTER_API_TOKEN: TOKEN },
      { sandbox: 'no_such_sandbox', log: (entry) => logged.push(entry) },
    );
    expect(await get('/v1/segments', TOKEN, broken)).toMatchObject({
      status: 500,
      body: { error: 'internal', message: 'internal error; see the server log' },
    });
    expect(logged.find((e) => e.level === 'error')).toMatchObject({ msg: 'request failed', path: '/v1/segments' });
  });

  it('answers every response as JSON', async () => {
    for (const route of [...READ_ROUTES, '/v1/segments/vps/runs?limit=0'])
      expect((await get(route)).headers.get('content-type')).toBe('application/json; charset=utf-8');
  });
});
