/**
 * One bad value never sinks a run. Each record below holds a value that JavaScript accepts and
 * PostgreSQL refuses (year 0, an impossible date, a NUL character, an unpaired surrogate, a number
 * beyond numeric) or one that overflows recursive code (a record nested 100,000 deep). Before,
 * each failed the whole run's COPY or crashed it, writing nothing; now each is quarantined with
 * its file and line (or entry index) and every other record is written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateSandbox } from '../../engine/runtime/migrate-sandbox';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import { FIXTURES, makeWorkspace, type Workspace } from '../integration/ingest/ingest-kit';
import { ingestFiles, ingestValues, sourceFromYaml } from '../support/ingest-in-process';
import { dropSandboxes, testPool, uniqueSandbox } from '../support/test-database';

const accounts = (dir: string, file: string) => `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(dir)} }
  badRecords: { maxErrorRatio: 0.5 }
  objects:
    - name: accounts
      entity: account
      path: ${file}
      key: id
      fields: { name: name, createdAt: created, annualRevenue: revenue }
`;

/** `{"a":{"a":...1...}}` nested `depth` deep, as text: JSON.parse reads it, JSON.stringify overflows on it. */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('values PostgreSQL would refuse, among good records', () => {
  let pool: Pool;
  let workspace: Workspace;
  const sandboxes: string[] = [];

  beforeAll(async () => {
    pool = await testPool();
    workspace = makeWorkspace('hostile');
  });
  afterAll(async () => {
    await dropSandboxes(pool, sandboxes);
    await pool.end();
    workspace.remove();
  });

  async function sandbox(): Promise<{ sandbox: string; s: string }> {
    const name = uniqueSandbox('hv');
    sandboxes.push(name);
    await migrateSandbox(pool, name);
    return { sandbox: name, s: sandboxSchema(name) };
  }

  const quarantine = async (s: string) =>
    (await pool.query(`select origin, line, record_index::int, field, reason from ${s}.quarantine order by id`)).rows;

  it('writes 1,000 good CSV rows around a date in year 0000 and a number beyond numeric', async () => {
    const { sandbox: name, s } = await sandbox();
    const lines = ['id,name,created,revenue'];
    for (let i = 1; i <= 1000; i++)
      lines.push(`A${i},Company ${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i}`);
    lines.splice(500, 0, 'Y0,Year Zero Ltd,0000-06-15,10');
    lines.splice(800, 0, 'E1,Tiny Inc,2024-01-01,1e-20000');
    writeFileSync(path.join(workspace.data, 'accounts.csv'), `${lines.join('\n')}\n`);
    const result = await ingestFiles(pool, name, sourceFromYaml(accounts(workspace.data, 'accounts.csv')));
    expect(result).toMatchObject({ status: 'succeeded', read: 1002, written: 1000, quarantined: 2 });
    expect(await quarantine(s)).toEqual([
      {
        origin: 'accounts.csv',
        line: 501,
        record_index: 499,
        field: 'created',
        reason:
          'createdAt: "0000-06-15" is in year 0, outside the years PostgreSQL stores (1 to 294276); year 0 does not exist',
      },
      {
        origin: 'accounts.csv',
        line: 801,
        record_index: 799,
        field: 'revenue',
        reason: `annualRevenue: "1e-20000" cannot be stored: its exponent -20000 is outside PostgreSQL's ±1000`,
      },
    ]);
    const { rows } = await pool.query(`select count(*)::int as n from ${s}.account_records`);
    expect(rows).toEqual([{ n: 1000 }]);
  });

  it('quarantines a NUL character, an unpaired surrogate and a record nested 100,000 deep in NDJSON (gzipped) and JSON', async () => {
    const { sandbox: name, s } = await sandbox();
    const good = (i: number) => `{"id":"G${i}","name":"Good ${i}","created":"2024-02-0${(i % 9) + 1}"}`;
    const hostile = [
      '{"id":"NUL","name":"Ac\\u0000me"}',
      '{"id":"SUR","name":"half \\ud83d of an emoji"}',
      `{"id":"DEEP","name":"deep","extra":${deepJson(100_000)}}`,
    ];
    const ndjson = [good(1), hostile[0], good(2), hostile[1], good(3), hostile[2], good(4)].join('\n');
    writeFileSync(path.join(workspace.data, 'hostile.ndjson.gz'), gzipSync(`${ndjson}\n`));
    writeFileSync(path.join(workspace.data, 'hostile.json'), `[${[good(5), ...hostile, good(6)].join(',\n')}]`);
    const yaml = accounts(workspace.data, 'hostile.*').replace(
      'badRecords: { maxErrorRatio: 0.5 }',
      'badRecords: { maxErrorRatio: 0.8, maxRecordBytes: 4194304 }',
    );
    const result = await ingestFiles(pool, name, sourceFromYaml(yaml));
    expect(result).toMatchObject({ status: 'succeeded', read: 12, written: 6, quarantined: 6 });
    const reasons = await quarantine(s);
    expect(reasons).toEqual([
      {
        origin: 'hostile.json',
        line: null,
        record_index: 1,
        field: 'name',
        reason: 'name: the value holds a NUL character (\\u0000) at character 3, which PostgreSQL cannot store',
      },
      {
        origin: 'hostile.json',
        line: null,
        record_index: 2,
        field: 'name',
        reason:
          'name: the value holds an unpaired UTF-16 surrogate (\\uD83D) at character 6, which is not valid Unicode; re-export the data as UTF-8',
      },
      {
        origin: 'hostile.json',
        line: null,
        record_index: 3,
        field: null,
        reason: 'entry 3 nests objects or arrays more than 64 levels deep; flatten it before loading',
      },
      {
        origin: 'hostile.ndjson.gz',
        line: 2,
        record_index: 1,
        field: 'name',
        reason: 'name: the value holds a NUL character (\\u0000) at character 3, which PostgreSQL cannot store',
      },
      {
        origin: 'hostile.ndjson.gz',
        line: 4,
        record_index: 3,
        field: 'name',
        reason:
          'name: the value holds an unpaired UTF-16 surrogate (\\uD83D) at character 6, which is not valid Unicode; re-export the data as UTF-8',
      },
      {
        origin: 'hostile.ndjson.gz',
        line: 6,
        record_index: 5,
        field: null,
        reason: 'the record nests objects or arrays more than 64 levels deep; flatten it before loading',
      },
    ]);
    const { rows } = await pool.query(`select source_key from ${s}.account_records order by 1`);
    expect(rows.map((r) => r.source_key)).toEqual(['G1', 'G2', 'G3', 'G4', 'G5', 'G6']);
  });

  it('loads the real Salesforce opportunities around one with an impossible CloseDate and one with a NUL in its name', async () => {
    const { sandbox: name, s } = await sandbox();
    // test/fixtures/salesforce-sample (CC0): 9 real opportunities; two of them spoiled here.
    const sample = JSON.parse(readFileSync(path.join(FIXTURES, 'salesforce-sample', 'Opportunity.json'), 'utf8'));
    sample.records[2].CloseDate = '2018-02-30';
    sample.records[5].Name = `${sample.records[5].Name}\u0000`;
    writeFileSync(path.join(workspace.data, 'Opportunity.json'), JSON.stringify(sample, null, 2));
    const loaded = sourceFromYaml(`apiVersion: roster/v1
kind: Source
metadata: { name: sf }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(workspace.data)} }
  badRecords: { maxErrorRatio: 0.5 }
  objects:
    - { name: Opportunity, entity: opportunity, preset: salesforce/Opportunity, path: Opportunity.json }
`);
    const result = await ingestFiles(pool, name, loaded);
    expect(result).toMatchObject({ status: 'succeeded', read: 9, written: 7, quarantined: 2 });
    expect((await quarantine(s)).map((q) => [q.record_index, q.field, q.reason.split(':')[0]])).toEqual([
      [2, 'CloseDate', 'closeDate'],
      [5, 'Name', 'name'],
    ]);
  });

  it('quarantines a keyless pushed record nested 100,000 deep instead of overflowing the content key', async () => {
    const { sandbox: name, s } = await sandbox();
    const loaded = sourceFromYaml(`apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: http
  http: { token: '{{ secret("SITE_TOKEN") }}' }
  badRecords: { maxErrorRatio: 0.5 }
  objects:
    - { name: events, entity: event, fields: { type: type, occurredAt: at } }
`);
    const records = [
      { type: 'visit', at: '2026-01-01T00:00:00Z' },
      { type: 'visit', at: '2026-01-02T00:00:00Z', payload: JSON.parse(deepJson(100_000)) },
      { type: 'visit', at: '2026-01-03T00:00:00Z' },
    ];
    const result = await ingestValues(pool, name, loaded, records);
    expect(result).toMatchObject({ status: 'succeeded', read: 3, written: 2, quarantined: 1 });
    expect(await quarantine(s)).toEqual([
      {
        origin: 'api',
        line: null,
        record_index: 1,
        field: null,
        reason: 'the record nests objects or arrays more than 64 levels deep; flatten it before loading',
      },
    ]);
  });
});
