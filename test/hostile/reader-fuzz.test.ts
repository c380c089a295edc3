/**
 * Fuzz of the file readers through a real run: CSV, NDJSON and JSON files, gzipped or not, with
 * generated hostile records mixed into good ones. Whatever the mix, every good record is stored
 * and every hostile one is quarantined with its file and line (CSV, NDJSON) or entry index (JSON).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSandbox } from '../../engine/runtime/migrate-sandbox';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import { makeWorkspace, type Workspace } from '../integration/ingest/ingest-kit';
import { recordHostile } from '../support/hostile-tally';
import { ingestFiles, sourceFromYaml } from '../support/ingest-in-process';
import { dropSandboxes, testPool, uniqueSandbox } from '../support/test-database';

type Format = 'csv' | 'ndjson' | 'json';

/** A record as the test means it: fields to write, or raw text for the line / entry. */
type Entry = { good: true; id: string; fields: Record<string, string> } | { good: false; text: Buffer | string };

const HOSTILE_ANY = ['year0', 'impossible', 'exponent', 'nokey', 'nul'] as const;
const HOSTILE_JSON = ['surrogate', 'deep', 'notObject', 'objectKey', 'nulInDate', 'nulInNumber'] as const;
const HOSTILE_NDJSON = ['badJson', 'badUtf8'] as const;
const HOSTILE_CSV = ['badUtf8', 'fieldCount', 'strayQuote'] as const;
type Hostile =
  | (typeof HOSTILE_ANY)[number]
  | (typeof HOSTILE_JSON)[number]
  | (typeof HOSTILE_NDJSON)[number]
  | (typeof HOSTILE_CSV)[number];

function hostileKinds(format: Format): Hostile[] {
  if (format === 'csv') return [...HOSTILE_ANY, ...HOSTILE_CSV];
  return [...HOSTILE_ANY, ...HOSTILE_JSON, ...(format === 'ndjson' ? HOSTILE_NDJSON : [])];
}

const base = { name: 'Hostile Inc', created: '2024-05-01', revenue: '10' };

/** The hostile record of `kind`, as the format writes it. */
function hostile(kind: Hostile, format: Format, id: string, depth: number): Buffer | string {
  const fields: Record<string, unknown> = { id, ...base };
  switch (kind) {
    case 'year0':
      return write(format, { ...fields, created: '0000-03-01' });
    case 'impossible':
      return write(format, { ...fields, created: '2023-02-29' });
    case 'exponent':
      return write(format, { ...fields, revenue: '1e-5000' });
    case 'nokey':
      return write(format, { ...fields, id: '' });
    case 'nul':
      return format === 'csv' ? `${id},Ac\u0000me,2024-05-01,10` : write(format, { ...fields, name: 'Ac\u0000me' });
    case 'nulInDate':
      return write(format, { ...fields, created: '2024-05-01\u0000' });
    case 'nulInNumber':
      return write(format, { ...fields, revenue: '1\u00002' });
    case 'surrogate':
      return write(format, { ...fields, name: 'half \ud83d emoji' });
    case 'deep':
      return `{"id":"${id}","name":"x","extra":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    case 'notObject':
      return '[1, 2, 3]';
    case 'objectKey':
      return write(format, { ...fields, id: { value: id } });
    case 'badJson':
      return `{"id": "${id}", "name": `;
    case 'badUtf8':
      return Buffer.concat([
        Buffer.from(format === 'csv' ? `${id},"Bad ` : `{"id":"${id}","name":"Bad `),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(format === 'csv' ? '",2024-05-01,10' : '"}'),
      ]);
    case 'fieldCount':
      return `${id},One,2024-05-01,10,extra`;
    case 'strayQuote':
      return `${id},Bro"ken,2024-05-01,10`;
  }
}

/** One record in the format: JSON text (escapes U+0000 and lone surrogates), or a quoted CSV line. */
function write(format: Format, fields: Record<string, unknown>): string {
  if (format !== 'csv') return JSON.stringify(fields);
  return ['id', 'name', 'created', 'revenue'].map((k) => `"${String(fields[k]).replace(/"/g, '""')}"`).join(',');
}

function fileOf(format: Format, entries: Entry[]): Buffer {
  const texts = entries.map((e) => (e.good ? write(format, e.fields) : e.text));
  const parts: (string | Buffer)[] = [];
  if (format === 'csv') parts.push('id,name,created,revenue\n');
  if (format === 'json') parts.push('[');
  texts.forEach((text, i) => {
    if (format === 'json' && i > 0) parts.push(',\n');
    parts.push(text);
    if (format !== 'json') parts.push('\n');
  });
  if (format === 'json') parts.push(']');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

/** Where the quarantine must place entry `i`: the line for line formats, the entry index for JSON. */
const positionOf = (format: Format, i: number) =>
  format === 'csv' ? { line: i + 2 } : format === 'ndjson' ? { line: i + 1 } : { index: i };

/** Good text: printable, with the characters that make CSV and JSON quoting work (quotes, commas, backslashes). */
const goodText = fc.string({ unit: fc.constantFrom(...'abcXYZ 019,;"\'\\/é€🙂'.split(/(?:)/u)), maxLength: 20 });

describe('file readers under hostile records', () => {
  let pool: Pool;
  let workspace: Workspace;
  const sandbox = uniqueSandbox('fuzz');

  beforeAll(async () => {
    pool = await testPool();
    workspace = makeWorkspace('fuzz');
    await migrateSandbox(pool, sandbox);
  });
  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    workspace.remove();
  });

  it('stores every good record and quarantines every hostile one with its location', async () => {
    const s = sandboxSchema(sandbox);
    let run = 0;
    const scenario = fc
      .record({ format: fc.constantFrom<Format>('csv', 'ndjson', 'json'), gzip: fc.boolean() })
      .chain((setup) =>
        fc.record({
          setup: fc.constant(setup),
          goods: fc.array(goodText, { minLength: 1, maxLength: 30 }),
          hostiles: fc.array(fc.record({ kind: fc.constantFrom(...hostileKinds(setup.format)), at: fc.nat() }), {
            minLength: 1,
            maxLength: 6,
          }),
          depth: fc.integer({ min: 65, max: 100_000 }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ setup, goods, hostiles, depth }) => {
        run++;
        const entries: Entry[] = goods.map((name, i) => ({
          good: true,
          id: `r${run}-g${i}`,
          fields: {
            id: `r${run}-g${i}`,
            name,
            created: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
            revenue: String(i * 1.5),
          },
        }));
        for (const [h, { kind, at }] of hostiles.entries())
          entries.splice(at % (entries.length + 1), 0, {
            good: false,
            text: hostile(kind, setup.format, `r${run}-h${h}`, depth),
          });
        const file = `run${run}.${setup.format}${setup.gzip ? '.gz' : ''}`;
        const bytes = fileOf(setup.format, entries);
        writeFileSync(path.join(workspace.data, file), setup.gzip ? gzipSync(bytes) : bytes);
        const loaded = sourceFromYaml(`apiVersion: roster/v1
kind: Source
metadata: { name: fuzz }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(workspace.data)} }
  badRecords: { maxErrorRatio: 1 }
  objects:
    - { name: accounts, entity: account, path: ${file}, key: id, fields: { name: name, createdAt: created, annualRevenue: revenue } }
`);
        const result = await ingestFiles(pool, sandbox, loaded);
        expect(result.error).toBeUndefined();
        expect(result).toMatchObject({
          status: 'succeeded',
          read: entries.length,
          written: goods.length,
          quarantined: hostiles.length,
        });
        const goodIds = entries.flatMap((e) => (e.good ? [e.id] : []));
        const { rows: stored } = await pool.query(
          `select count(*)::int as n from ${s}.account_records where run_id = $1 and source_key = any($2)`,
          [result.runId, goodIds],
        );
        expect(stored[0].n).toBe(goods.length);
        const { rows } = await pool.query(
          `select origin, line, record_index::int as index from ${s}.quarantine where run_id = $1 order by id`,
          [result.runId],
        );
        const expected = entries.flatMap((e, i) => (e.good ? [] : [positionOf(setup.format, i)]));
        const found = rows.map((r) => {
          expect(r.origin).toBe(file);
          return setup.format === 'json' ? { index: r.index } : { line: r.line };
        });
        expect(found).toEqual(expected);
      }),
      { numRuns: 40, seed: 1207 },
    );
    recordHostile({ suite: 'file reader fuzz', tried: 40, held: 40 });
  });
});
