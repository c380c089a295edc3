/**
 * Dates written in a non-ISO form are read with the mapping's `format` (Luxon tokens): US and
 * European day/month orders, two-digit years, offsets and zones. A value that names an impossible
 * date, in a pattern or in ISO 8601 (`1900-02-30`), is quarantined with its line and field, never
 * rolled over into the next month.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../../engine/ingest/ingest-objects';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { ingestFiles, sourceFromYaml } from '../../support/ingest-in-process';
import { dropSandboxes, testPool, uniqueSandbox } from '../../support/test-database';

const CSV = [
  'id,us,eu,short,zoned,iso',
  'good,12/31/2024,31.12.2024,31/12/24,2024-07-01 10:00 America/New_York,2024-02-29',
  'seventies,1/5/2024,05.01.2024,01/01/75,2024-03-01 10:00 Europe/Paris,2024-01-05',
  'us-impossible,02/30/2024,30.01.2024,01/01/24,2024-03-01 10:00 UTC,2024-01-30',
  'eu-impossible,01/30/2024,30.02.2024,01/01/24,2024-03-01 10:00 UTC,2024-01-30',
  'iso-impossible,01/30/2024,30.01.2024,01/01/24,2024-03-01 10:00 UTC,1900-02-30',
  'wrong-order,31/12/2024,31.12.2024,01/01/24,2024-03-01 10:00 UTC,2024-01-30',
  'year-zero,01/30/2024,30.01.2024,01/01/24,2024-03-01 10:00 UTC,0000-01-30',
].join('\n');

const SOURCE = (dir: string) => `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(dir)} }
  badRecords: { maxErrorRatio: 1 }
  customFields:
    - { entity: account, name: euDate, type: date }
    - { entity: account, name: shortDate, type: date }
    - { entity: account, name: zonedAt, type: datetime }
    - { entity: account, name: isoDate, type: date }
  objects:
    - name: accounts
      entity: account
      path: accounts.csv
      key: id
      fields:
        createdAt: { from: us, format: M/d/yyyy }
        euDate: { from: eu, format: dd.MM.yyyy }
        shortDate: { from: short, format: dd/MM/yy }
        zonedAt: { from: zoned, format: "yyyy-MM-dd HH:mm z" }
        isoDate: iso
`;

describe('dates in the formats exports write them', () => {
  let pool: Pool;
  let work: string;
  let result: IngestResult;
  const sandbox = uniqueSandbox('dates');
  const s = sandboxSchema(sandbox);

  beforeAll(async () => {
    pool = await testPool();
    work = mkdtempSync(path.join(tmpdir(), 'roster-dates-'));
    writeFileSync(path.join(work, 'accounts.csv'), CSV);
    await migrateSandbox(pool, sandbox);
    result = await ingestFiles(pool, sandbox, sourceFromYaml(SOURCE(work)));
  });
  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    rmSync(work, { recursive: true, force: true });
  });

  it('reads US and European day/month orders, two-digit years, offsets and zones', async () => {
    expect(result).toMatchObject({ status: 'succeeded', read: 7, written: 2, quarantined: 5 });
    const { rows } = await pool.query(
      `select source_key, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI') as us,
              attrs->>'euDate' as eu, attrs->>'shortDate' as short, attrs->>'zonedAt' as zoned, attrs->>'isoDate' as iso
       from ${s}.account_records order by source_key`,
    );
    expect(rows).toEqual([
      {
        source_key: 'good',
        us: '2024-12-31 00:00',
        eu: '2024-12-31',
        short: '2024-12-31',
        zoned: '2024-07-01T14:00:00.000Z',
        iso: '2024-02-29',
      },
      {
        source_key: 'seventies',
        us: '2024-01-05 00:00',
        eu: '2024-01-05',
        short: '1975-01-01',
        zoned: '2024-03-01T09:00:00.000Z',
        iso: '2024-01-05',
      },
    ]);
  });

  it('quarantines impossible dates, values in another order and year 0 with line, field and reason', async () => {
    const { rows } = await pool.query(`select origin, line, field, reason from ${s}.quarantine order by line`);
    expect(rows).toEqual([
      {
        origin: 'accounts.csv',
        line: 4,
        field: 'us',
        reason:
          'createdAt: "02/30/2024" is not a real date in the format M/d/yyyy (you specified 30 (of type number) as a day, which is invalid)',
      },
      {
        origin: 'accounts.csv',
        line: 5,
        field: 'eu',
        reason:
          'euDate: "30.02.2024" is not a real date in the format dd.MM.yyyy (you specified 30 (of type number) as a day, which is invalid)',
      },
      {
        origin: 'accounts.csv',
        line: 6,
        field: 'iso',
        reason:
          'isoDate: "1900-02-30" is not a real date (you specified 30 (of type number) as a day, which is invalid)',
      },
      {
        origin: 'accounts.csv',
        line: 7,
        field: 'us',
        reason:
          'createdAt: "31/12/2024" is not a real date in the format M/d/yyyy (you specified 31 (of type number) as a month, which is invalid)',
      },
      {
        origin: 'accounts.csv',
        line: 8,
        field: 'iso',
        reason:
          'isoDate: "0000-01-30" is in year 0, outside the years PostgreSQL stores (1 to 294276); year 0 does not exist',
      },
    ]);
  });
});
