/**
 * Events need a type and a time (NOT NULL in the events table). `eventType` and `eventTime` supply
 * them for exports that carry none, such as the Grouparoo demo's purchases (test/fixtures/grouparoo-demo,
 * MIT), which have no timestamp; a record still left without one is quarantined with its line,
 * field and what to set, and never fails the run with PostgreSQL's "null value in column".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY_TABLES } from '../../../engine/runtime/entity-tables';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { ingestFiles, sourceFromYaml } from '../../support/ingest-in-process';
import { dropSandboxes, testPool, uniqueSandbox } from '../../support/test-database';
import { FIXTURES } from './ingest-kit';

const DEMO = path.join(FIXTURES, 'grouparoo-demo');

const purchasesSource = (eventTime: string) => `apiVersion: roster/v1
kind: Source
metadata: { name: shop }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(DEMO)} }
  customFields:
    - { entity: event, name: price, type: number }
    - { entity: event, name: category, type: string }
  objects:
    - name: purchases
      entity: event
      path: purchases.csv
      key: id
      eventType: purchase
      eventTime: ${eventTime}
      fields: { person: user_id, price: price, category: category }
`;

describe('events without a type or time column', () => {
  let pool: Pool;
  const sandboxes: string[] = [];
  let work: string;

  beforeAll(async () => {
    pool = await testPool();
    work = mkdtempSync(path.join(tmpdir(), 'roster-events-'));
  });
  afterAll(async () => {
    await dropSandboxes(pool, sandboxes);
    await pool.end();
    rmSync(work, { recursive: true, force: true });
  });

  async function sandbox(): Promise<string> {
    const name = uniqueSandbox('evt');
    sandboxes.push(name);
    await migrateSandbox(pool, name);
    return name;
  }

  it('loads the 1000 Grouparoo purchases as purchase events stamped with the run time, and a re-run changes nothing', async () => {
    const s = await sandbox();
    const loaded = sourceFromYaml(purchasesSource('ingestion'));
    const before = Date.now();
    const first = await ingestFiles(pool, s, loaded);
    expect(first).toMatchObject({ status: 'succeeded', read: 1000, written: 1000, quarantined: 0 });
    const { rows } = await pool.query(
      `select type, count(*)::int as n, min(occurred_at) as first, max(occurred_at) as last,
              sum((attrs->>'price')::numeric)::text as revenue
       from ${sandboxSchema(s)}.events group by type`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'purchase', n: 1000 });
    expect(rows[0].first).toEqual(rows[0].last);
    expect(Math.abs(rows[0].first.getTime() - before)).toBeLessThan(5000);
    const again = await ingestFiles(pool, s, loaded);
    expect(again).toMatchObject({ status: 'succeeded', written: 0, unchanged: 1000 });
    const { rows: times } = await pool.query(`select distinct occurred_at from ${sandboxSchema(s)}.events`);
    expect(times).toEqual([{ occurred_at: rows[0].first }]);
  });

  it('gives every purchase a constant eventTime when one is set', async () => {
    const s = await sandbox();
    const result = await ingestFiles(pool, s, sourceFromYaml(purchasesSource('2021-06-30T00:00:00Z')));
    expect(result).toMatchObject({ status: 'succeeded', written: 1000 });
    const { rows } = await pool.query(
      `select distinct to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as at from ${sandboxSchema(s)}.events`,
    );
    expect(rows).toEqual([{ at: '2021-06-30 00:00' }]);
  });

  it('quarantines events whose type or time is empty, with line, field and what to set, and loads the rest', async () => {
    const s = await sandbox();
    writeFileSync(
      path.join(work, `${s}.csv`),
      'id,kind,at,user_id\n1,visit,2026-01-05T10:00:00Z,7\n2,,2026-01-05T11:00:00Z,7\n3,visit,,8\n4,signup,2026-01-05T12:00:00Z,8\n',
    );
    const loaded = sourceFromYaml(`apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(work)} }
  badRecords: { maxErrorRatio: 1 }
  objects:
    - name: visits
      entity: event
      path: ${s}.csv
      key: id
      fields: { type: kind, occurredAt: at, person: user_id }
`);
    const result = await ingestFiles(pool, s, loaded);
    expect(result).toMatchObject({ status: 'succeeded', read: 4, written: 2, quarantined: 2 });
    const { rows } = await pool.query(
      `select origin, line, field, reason from ${sandboxSchema(s)}.quarantine order by line`,
    );
    expect(rows).toEqual([
      {
        origin: `${s}.csv`,
        line: 3,
        field: 'kind',
        reason:
          'type is empty (kind); an event needs a type: map fields.type to the field that holds it, or set eventType on the object (e.g. eventType: purchase)',
      },
      {
        origin: `${s}.csv`,
        line: 4,
        field: 'at',
        reason:
          'occurredAt is empty (at); an event needs a time: map fields.occurredAt to the field that holds it, or set eventTime on the object (eventTime: ingestion, or a constant date-time such as 2024-01-01T00:00:00Z)',
      },
    ]);
    const { rows: events } = await pool.query(`select source_key, type from ${sandboxSchema(s)}.events order by 1`);
    expect(events).toEqual([
      { source_key: '1', type: 'visit' },
      { source_key: '4', type: 'signup' },
    ]);
  });

  it('uses eventType for the records whose mapped type field is empty', async () => {
    const s = await sandbox();
    writeFileSync(path.join(work, `${s}.csv`), 'id,kind,at\n1,visit,2026-01-05T10:00:00Z\n2,,2026-01-05T11:00:00Z\n');
    const loaded = sourceFromYaml(`apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(work)} }
  objects:
    - name: visits
      entity: event
      path: ${s}.csv
      key: id
      eventType: web.visit
      fields: { type: kind, occurredAt: at }
`);
    expect(await ingestFiles(pool, s, loaded)).toMatchObject({ status: 'succeeded', written: 2, quarantined: 0 });
    const { rows } = await pool.query(`select source_key, type from ${sandboxSchema(s)}.events order by 1`);
    expect(rows).toEqual([
      { source_key: '1', type: 'visit' },
      { source_key: '2', type: 'web.visit' },
    ]);
  });

  it('marks as required exactly the NOT NULL columns of the tables that mapping fills', async () => {
    const s = await sandbox();
    // Columns a row cannot be written without and that nothing fills by default.
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      `select c.relname as table_name, a.attname as column_name
       from pg_attribute a join pg_class c on c.oid = a.attrelid
       where c.relnamespace = $1::regnamespace and c.relkind = 'r' and a.attnum > 0 and a.attnotnull and not a.atthasdef`,
      [sandboxSchema(s)],
    );
    const notNull = new Set(rows.map((r) => `${r.table_name}.${r.column_name}`));
    expect(notNull.has('events.occurred_at')).toBe(true);
    for (const table of Object.values(ENTITY_TABLES)) {
      for (const column of table.columns)
        expect([`${table.table}.${column.column}`, notNull.has(`${table.table}.${column.column}`)]).toEqual([
          `${table.table}.${column.column}`,
          column.required,
        ]);
    }
  });
});
