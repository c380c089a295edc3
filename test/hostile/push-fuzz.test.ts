/**
 * Fuzz of `POST /v1/sources/<name>/batches` with hostile records mixed into good ones: values that
 * are not objects, missing keys, values of the wrong type, NUL characters and unpaired surrogates
 * in values and keys, nesting up to 100,000 deep, records around the size limit, and unicode of
 * every plane in good records. Whatever the mix, the server answers 200, stores each good record
 * exactly once, quarantines each bad one with its index, and its memory stays bounded.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRosterServer } from '../../engine/server/roster-server';
import { writeConfigDir } from '../support/config-dir';
import { recordHostile } from '../support/hostile-tally';
import { roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const TOKEN = 'fuzz-token';
const MAX_RECORD_BYTES = 4096;
const MAX_DEPTH = 32;
const sandbox = uniqueSandbox('fuzz');
const schema = `roster_${sandbox}`;
let pool: Pool;
let server: Server;
let url: string;

const CONFIG = {
  'people.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: pushed-people }
spec:
  type: http
  http: { token: '{{ secret("FUZZ_TOKEN") }}', maxBatchRecords: 40 }
  badRecords: { maxRecordBytes: ${MAX_RECORD_BYTES} }
  objects:
    - name: people
      entity: person
      key: id
      fields: { email: email, firstName: firstName, jobTitle: title, isConverted: converted, convertedAt: convertedAt }
      identities: { email: email }
`,
  'ids.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [pushed-people]
  person: { namespaces: [{ name: email, type: email }] }
`,
};

beforeAll(async () => {
  pool = await testPool();
  const dir = await writeConfigDir(CONFIG);
  const applied = roster(['apply', dir, '--sandbox', sandbox, '--yes'], { DATABASE_URL: await testDatabaseUrl() });
  expect(applied.code, applied.stderr).toBe(0);
  server = createRosterServer({ pool, sandbox, env: { FUZZ_TOKEN: TOKEN }, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/sources/pushed-people/batches`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

/** Text a good record may hold: any code point but NUL, and the characters that trouble text formats. */
const goodText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }).map((s) => s.replaceAll('\u0000', '')),
  fc.constantFrom(
    '\\.',
    'a\tb\nc\r',
    '\u2028\u2029',
    '\ufeff',
    '\uffff\ufffe',
    '\u{10ffff}',
    'e\u0301',
    '\u202eabc',
    '😀👩‍👩‍👧',
  ),
);
const person = fc.record({
  email: goodText,
  firstName: goodText,
  title: goodText,
  converted: fc.constantFrom(true, false, 'true', 'no', 'Y', '1', null),
  convertedAt: fc
    .date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
});
/** Unmapped fields with names a record may use: prototype names, dots, empty, unicode. */
const extras = fc.uniqueArray(
  fc.tuple(
    fc.constantFrom('__proto__', 'constructor', 'toString', 'a.b', 'x.email', '', ' ', '\u2028', '😀'),
    goodText,
  ),
  { selector: ([name]) => name, maxLength: 3 },
);

/** One generated record: how to write it once it has its key, and whether the server must keep it. */
type RecordSpec =
  | { kind: 'good'; fields: object; extra: [string, string][]; nesting: number }
  | { kind: 'not-object'; value: unknown }
  | { kind: 'no-key'; fields: object; id: null | '' | '   ' | undefined }
  | { kind: 'wrong-type'; fields: object; field: 'converted' | 'convertedAt'; value: unknown }
  | { kind: 'nul'; fields: object; inKey: boolean; at: number }
  | { kind: 'surrogate'; fields: object; unit: string; inKey: boolean }
  | { kind: 'deep'; depth: number }
  | { kind: 'sized'; fields: object; filler: string; repeat: number };

const recordSpec: fc.Arbitrary<RecordSpec> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('good' as const),
      fields: person,
      extra: extras,
      nesting: fc.nat(MAX_DEPTH - 1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('not-object' as const),
      value: fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.nat(), { maxLength: 3 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('no-key' as const),
      fields: person,
      id: fc.constantFrom(null, '', '   ', undefined),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({
        kind: fc.constant('wrong-type' as const),
        fields: person,
        field: fc.constant('converted' as const),
        value: fc.constantFrom('maybe', '2', 'ja', {}, [true]),
      }),
      fc.record({
        kind: fc.constant('wrong-type' as const),
        fields: person,
        field: fc.constant('convertedAt' as const),
        value: fc.constantFrom('yesterday', 12, true, '2026-13-45', {}, '31/01/2026'),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('nul' as const), fields: person, inKey: fc.boolean(), at: fc.nat(30) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('surrogate' as const),
      fields: person,
      unit: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'),
      inKey: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deep' as const),
      depth: fc.oneof(
        fc.integer({ min: MAX_DEPTH, max: 40 }),
        fc.integer({ min: 41, max: 5000 }),
        fc.constant(100_000),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('sized' as const),
      fields: person,
      filler: fc.constantFrom('x', 'é', '😀', '\\'),
      repeat: fc.integer({ min: 900, max: 4200 }),
    }),
  },
);

/** The record's JSON text (written by hand where JSON.stringify could not: deep nesting), and whether it is good. */
function render(spec: RecordSpec, id: string): { text: string; good: boolean } {
  const withId = (fields: object, extra: [string, string][] = []) => ({ ...Object.fromEntries(extra), ...fields, id });
  switch (spec.kind) {
    case 'good': {
      const text = JSON.stringify(withId(spec.fields, spec.extra));
      return {
        text:
          spec.nesting === 0
            ? text
            : `${text.slice(0, -1)},"nest":${'['.repeat(spec.nesting)}${']'.repeat(spec.nesting)}}`,
        good: true,
      };
    }
    case 'not-object':
      return { text: JSON.stringify(spec.value), good: false };
    case 'no-key':
      return { text: JSON.stringify({ ...spec.fields, id: spec.id }), good: false };
    case 'wrong-type':
      return { text: JSON.stringify({ ...withId(spec.fields), [spec.field]: spec.value }), good: false };
    case 'nul': {
      const email = (spec.fields as { email: string }).email;
      const at = Math.min(spec.at, email.length);
      const record = withId(spec.fields);
      const hostile = spec.inKey
        ? { ...record, [`k\u0000${at}`]: 'v' }
        : { ...record, email: `${email.slice(0, at)}\u0000${email.slice(at)}` };
      return { text: JSON.stringify(hostile), good: false };
    }
    case 'surrogate': {
      const record = withId(spec.fields);
      const hostile = spec.inKey ? { ...record, [`k${spec.unit}`]: 'v' } : { ...record, title: `t${spec.unit}t` };
      return { text: JSON.stringify(hostile), good: false };
    }
    case 'deep':
      return {
        text: `{"id":${JSON.stringify(id)},"nest":${'['.repeat(spec.depth)}${']'.repeat(spec.depth)}}`,
        good: false,
      };
    case 'sized': {
      const text = JSON.stringify({ ...withId(spec.fields), firstName: spec.filler.repeat(spec.repeat) });
      return { text, good: Buffer.byteLength(text) <= MAX_RECORD_BYTES };
    }
  }
}

interface PushAnswer {
  runId: number;
  status: string;
  received: number;
  accepted: number;
  quarantined: number;
  rejected: { index: number; field: string | null; reason: string }[];
}

async function push(body: string): Promise<{ status: number; answer: PushAnswer }> {
  const response = await fetch(url, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, answer: (await response.json()) as PushAnswer };
}

/** How many rows each key has in person_records (independent SQL). */
async function rowsByKey(keys: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `select source_key as key, count(*)::int as n from ${schema}.person_records where source_key = any($1) group by source_key`,
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r.n]));
}

async function quarantinedIndexes(runId: number): Promise<number[]> {
  const { rows } = await pool.query(
    `select record_index::int as index from ${schema}.quarantine where run_id = $1 and origin = 'request' order by 1`,
    [runId],
  );
  return rows.map((r) => r.index);
}

/** Keys are unique across runs (fast-check replays and shrinks), so "stored once" is per key. */
let nextKey = 0;

describe('the push endpoint under hostile records', () => {
  it('stores every good record exactly once and quarantines every bad one with its index, never answering 500', async () => {
    await push('[]'); // warm up, so the memory baseline includes the server's steady state
    const rssBefore = process.memoryUsage().rss;
    let pushed = 0; // records of properties that held (a failing one throws before it counts)
    await fc.assert(
      fc.asyncProperty(fc.array(recordSpec, { maxLength: 40, size: 'medium' }), fc.nat(4), async (specs, resend) => {
        const ids = specs.map(() => `k${nextKey++}`);
        const rendered = specs.map((spec, i) => render(spec, ids[i]!));
        const body = `{"records":[${rendered.map((r) => r.text).join(',')}]}`;
        const goodKeys = ids.filter((_, i) => rendered[i]!.good);
        const badKeys = ids.filter((_, i) => !rendered[i]!.good);
        const badIndexes = rendered.flatMap((r, i) => (r.good ? [] : [i]));
        for (let attempt = 0; attempt < (resend === 0 ? 2 : 1); attempt++) {
          const { status, answer } = await push(body);
          expect(status, JSON.stringify(answer)).toBe(200);
          expect(answer).toMatchObject({
            status: 'succeeded',
            received: rendered.length,
            accepted: goodKeys.length,
            quarantined: badIndexes.length,
          });
          expect(answer.rejected.map((r) => r.index)).toEqual(badIndexes);
          for (const rejection of answer.rejected) expect(rejection.reason.length).toBeGreaterThan(10);
          expect(await quarantinedIndexes(answer.runId)).toEqual(badIndexes);
        }
        const stored = await rowsByKey([...goodKeys, ...badKeys]);
        expect([...stored.keys()].sort()).toEqual([...goodKeys].sort());
        expect([...stored.values()].every((n) => n === 1)).toBe(true);
        pushed += rendered.length;
      }),
      { numRuns: 100 },
    );
    recordHostile({ suite: 'push endpoint fuzz (records)', tried: pushed, held: pushed, lost: 0, duplicated: 0 });
    const growth = process.memoryUsage().rss - rssBefore;
    expect(growth, `RSS grew by ${Math.round(growth / 1e6)} MB`).toBeLessThan(256 * 1024 * 1024);
  }, 120_000); // ~30 s alone on the 2-core machine; the margin is for a loaded one

  it("quarantines a record at the endpoint's 32 MiB body limit and stores the rest, with memory bounded", async () => {
    const rssBefore = process.memoryUsage().rss;
    const huge = JSON.stringify({
      id: 'huge',
      email: 'huge@acme.example',
      firstName: 'x'.repeat(32 * 1024 * 1024 - 200),
    });
    const body = `[${JSON.stringify({ id: 'small', email: 'small@acme.example' })},${huge}]`;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(32 * 1024 * 1024);
    const { status, answer } = await push(body);
    expect(status).toBe(200);
    expect(answer).toMatchObject({ received: 2, accepted: 1, quarantined: 1, rejected: [{ index: 1, field: null }] });
    expect(await rowsByKey(['small', 'huge'])).toEqual(new Map([['small', 1]]));
    const over = await fetch(url, {
      method: 'POST',
      body: `${body} `.padEnd(32 * 1024 * 1024 + 1),
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(over.status).toBe(413);
    const growth = process.memoryUsage().rss - rssBefore;
    expect(growth, `RSS grew by ${Math.round(growth / 1e6)} MB`).toBeLessThan(512 * 1024 * 1024);
  });
});
