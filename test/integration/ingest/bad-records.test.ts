/**
 * Bad input never crashes a run or half-loads it: each bad record is quarantined with its file,
 * line and a reason a user can act on, the good records around it load; and when the share of bad
 * records passes the source's maxErrorRatio, the run fails whole, writes nothing, and still keeps
 * the quarantine and the failed run for `roster source errors`.
 */
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { makeWorkspace, RosterCli, type Workspace, writeFiles } from './ingest-kit';

const HEADER = 'Id,Name,Industry,AnnualRevenue';
const QUOTING_ADVICE = 'double a quote inside a quoted field ("")';

/** A CSV built line by line, remembering the line each named record starts on. */
class CsvBuilder {
  private lines: string[];
  readonly lineOf = new Map<string, number>();

  constructor(header: string) {
    this.lines = [header];
  }

  good(count: number, id: (i: number) => string, row: (id: string, i: number) => string): this {
    for (let i = 0; i < count; i++) {
      const key = id(i);
      this.lineOf.set(key, this.lines.length + 1);
      this.lines.push(row(key, i));
    }
    return this;
  }

  add(name: string, text: string): this {
    this.lineOf.set(name, this.lines.length + 1);
    this.lines.push(text);
    return this;
  }

  text(eol = '\n'): string {
    return this.lines.join(eol) + eol;
  }
}

const company = (id: string, i: number) => `${id},Company ${i},Technology,${(i + 1) * 1000}`;

/** accounts.csv (LF): good records with six kinds of bad record among them. */
function lfFile(): CsvBuilder {
  return new CsvBuilder(HEADER)
    .good(100, (i) => `A${String(i).padStart(4, '0')}`, company)
    .add('nul', 'B-nul,Ac\u0000me,Technology,100')
    .good(
      50,
      (i) => `A${String(100 + i).padStart(4, '0')}`,
      (id, i) => company(id, 100 + i),
    )
    .add('stray-quote', 'B-stray,Bro"ken Quote Inc,Technology,100')
    .add('huge-field', `B-huge,${'x'.repeat(10 * 1024 * 1024)},Technology,100`)
    .good(
      50,
      (i) => `A${String(150 + i).padStart(4, '0')}`,
      (id, i) => company(id, 150 + i),
    )
    .add('over-limit', `B-big,"${'y'.repeat(5000)}",Technology,100`)
    .add('not-a-number', 'B-rev,Revco,Technology,12abc')
    .good(
      98,
      (i) => `A${String(200 + i).padStart(4, '0')}`,
      (id, i) => company(id, 200 + i),
    )
    .add('unclosed-quote', 'B-open,"Unclosed Quote Ltd,Technology,100')
    .good(
      2,
      (i) => `A${String(298 + i).padStart(4, '0')}`,
      (id, i) => company(id, 298 + i),
    );
}

/** accounts-crlf.csv: Windows line ends, columns in another order, a quoted line break, one short record. */
function crlfFile(): CsvBuilder {
  return new CsvBuilder('Id,Name,AnnualRevenue,Industry')
    .good(
      3,
      (i) => `C${String(i).padStart(3, '0')}`,
      (id, i) => `${id},Windows ${i},${i + 1},Retail`,
    )
    .add('short', 'C-short,only two fields')
    .add('C-multiline', 'C-multiline,"Line one\r\nLine two",7,Retail')
    .good(
      46,
      (i) => `C${String(3 + i).padStart(3, '0')}`,
      (id, i) => `${id},Windows ${3 + i},${i + 4},Retail`,
    );
}

const SOURCE = `apiVersion: roster/v1
kind: Source
metadata: { name: messy-accounts }
spec:
  type: file
  file: { baseDir: ../data }
  badRecords: { maxErrorRatio: 0.05, maxRecordBytes: 4096 }
  objects:
    - name: accounts
      entity: account
      path: accounts*.csv
      key: Id
      fields: { name: Name, industry: Industry, annualRevenue: AnnualRevenue }
---
apiVersion: roster/v1
kind: Source
metadata: { name: long-file }
spec:
  type: file
  file: { baseDir: ../data }
  badRecords: { maxRecordBytes: 4096 }
  objects:
    - { name: accounts, entity: account, path: long.csv, key: Id, fields: { name: Name } }
`;

const STRICT_SOURCE = `apiVersion: roster/v1
kind: Source
metadata: { name: strict-accounts }
spec:
  type: file
  file: { baseDir: ../data }
  badRecords: { maxErrorRatio: 0.01 }
  objects:
    - name: accounts
      entity: account
      path: strict.csv
      key: Id
      fields: { name: Name, industry: Industry, annualRevenue: AnnualRevenue }
      identities: { crmAccountId: Id }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: strict-identity }
spec:
  sources: [strict-accounts]
  person: { namespaces: [{ name: email, type: email }] }
  account: { namespaces: [{ name: crmAccountId, type: crm-id, unique: true }] }
`;

describe('bad records in a file source', () => {
  let pool: Pool;
  let cli: RosterCli;
  let messy: Workspace;
  let strict: Workspace;
  const lf = lfFile();
  const crlf = crlfFile();
  const sandbox = uniqueSandbox('bad');
  const strictSandbox = uniqueSandbox('bad');

  beforeAll(async () => {
    pool = await testPool();
    cli = new RosterCli(await testDatabaseUrl());
    messy = makeWorkspace('bad-records');
    writeFiles(messy.config, { 'sources.yaml': SOURCE });
    writeFiles(messy.data, { 'accounts.csv': lf.text(), 'accounts-crlf.csv': crlf.text('\r\n') });
    cli.apply(messy.config, sandbox);
    strict = makeWorkspace('error-ratio');
    writeFiles(strict.config, { 'strict.yaml': STRICT_SOURCE });
    cli.apply(strict.config, strictSandbox);
  });

  afterAll(async () => {
    await dropSandboxes(pool, [sandbox, strictSandbox]);
    await pool.end();
    messy.remove();
    strict.remove();
  });

  describe('under the error ratio', () => {
    const s = sandboxSchema(sandbox);

    it('quarantines each bad record with its file, line, field and reason, and loads every good one', async () => {
      const run = cli.sourceRun('messy-accounts', sandbox, { extra: ['--no-stitch'] });
      expect(run).toMatchObject({ status: 'succeeded', read: 357, written: 350, quarantined: 7 });

      const errors = cli.sourceErrors('messy-accounts', sandbox);
      expect(errors).toMatchObject({ runId: run.runId, total: 7 });
      const listed = errors.records.map(({ origin, line, field, reason }) => ({ origin, line, field, reason }));
      expect(listed).toEqual([
        {
          origin: 'accounts-crlf.csv',
          line: crlf.lineOf.get('short'),
          field: null,
          reason: 'has 2 fields, the header has 4',
        },
        { origin: 'accounts.csv', line: lf.lineOf.get('nul'), field: 'Name', reason: 'NUL byte in field Name' },
        {
          origin: 'accounts.csv',
          line: lf.lineOf.get('stray-quote'),
          field: 'Name',
          reason: `quote in the middle of unquoted field Name at column 12; put the whole field in quotes and ${QUOTING_ADVICE}`,
        },
        {
          origin: 'accounts.csv',
          line: lf.lineOf.get('huge-field'),
          field: null,
          reason: 'record is 10.0 MiB, over the 4.0 KiB limit',
        },
        {
          origin: 'accounts.csv',
          line: lf.lineOf.get('over-limit'),
          field: null,
          reason: 'record is 4.9 KiB, over the 4.0 KiB limit',
        },
        {
          origin: 'accounts.csv',
          line: lf.lineOf.get('not-a-number'),
          field: 'AnnualRevenue',
          reason: 'annualRevenue: "12abc" is not a number',
        },
        {
          origin: 'accounts.csv',
          line: lf.lineOf.get('unclosed-quote'),
          field: 'Name',
          reason: `unterminated quoted field Name (opened at column 8); close it with a quote and ${QUOTING_ADVICE}`,
        },
      ]);
    });

    it('keeps at most 2 KiB of a bad record, with a NUL byte written as \\0', () => {
      const { records } = cli.sourceErrors('messy-accounts', sandbox);
      const raw = new Map(records.map((r) => [r.line, r.raw]));
      expect(raw.get(lf.lineOf.get('nul')!)).toBe('B-nul,Ac\\0me,Technology,100');
      expect(raw.get(lf.lineOf.get('huge-field')!)).toMatch(/^B-huge,x+$/);
      expect(raw.get(lf.lineOf.get('huge-field')!)!.length).toBeLessThanOrEqual(2048);
    });

    it('loads the good records of both files, the ones after the unclosed quote included', async () => {
      const { rows } = await pool.query(
        `select count(*) filter (where source_key like 'A%')::int as lf, count(*) filter (where source_key like 'C%')::int as crlf,
                count(*) filter (where source_key like 'B%')::int as bad,
                count(*) filter (where source_key in ('A0298', 'A0299'))::int as after_unclosed_quote
         from ${s}.account_records`,
      );
      expect(rows).toEqual([{ lf: 300, crlf: 50, bad: 0, after_unclosed_quote: 2 }]);
      const [edge] = (
        await pool.query(
          `select name, industry, annual_revenue::int as revenue from ${s}.account_records where source_key = 'A0299'`,
        )
      ).rows;
      expect(edge).toEqual({ name: 'Company 299', industry: 'Technology', revenue: 300000 });
    });

    it('reads a CRLF file without carriage returns in values, keeping a quoted line break as written', async () => {
      const { rows } = await pool.query(
        `select count(*)::int as n, count(*) filter (where industry = 'Retail')::int as retail,
                count(*) filter (where name like '%' || chr(13) || '%' and source_key <> 'C-multiline')::int as with_cr
         from ${s}.account_records where source_key like 'C%'`,
      );
      expect(rows).toEqual([{ n: 50, retail: 50, with_cr: 0 }]);
      const multiline = await pool.query(
        `select name, annual_revenue::int as revenue from ${s}.account_records where source_key = 'C-multiline'`,
      );
      expect(multiline.rows).toEqual([{ name: 'Line one\r\nLine two', revenue: 7 }]);
    });

    // A quote that never closes swallows the rest of the file past maxRecordBytes: rather than count it
    // as one bad record (and silently lose everything after it), the run fails and names the line.
    it('refuses a file whose early quote never closes, rather than losing the rest of it silently', async () => {
      const long = new CsvBuilder('Id,Name')
        .good(
          199,
          (i) => `L${String(i).padStart(4, '0')}`,
          (id, i) => `${id},Long file company ${i}`,
        )
        .add('unclosed', 'L-open,"Never closed')
        .good(
          800,
          (i) => `L${String(199 + i).padStart(4, '0')}`,
          (id, i) => `${id},Long file company ${199 + i}`,
        );
      writeFiles(messy.data, { 'long.csv': long.text() });
      const result = cli.run(
        ['source', 'run', 'long-file', '--sandbox', sandbox, '--format', 'json', '--no-stitch'],
        1,
      );
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'failed',
        written: 0,
        error:
          'long.csv:201: a quoted field opened here is never closed, so the rest of the file cannot be read; fix the quoting and run again',
      });
    });
  });

  describe('over the error ratio', () => {
    const s = sandboxSchema(strictSandbox);
    const strictFile = new CsvBuilder(HEADER);
    for (let i = 0; i < 100; i++) {
      const revenue = i % 20 === 7 ? `${i}abc` : String(i * 1000);
      strictFile.add(`S${i}`, `S${String(i).padStart(3, '0')},Strict ${i},Services,${revenue}`);
    }

    it('fails the run with the reason and exit 1, writing nothing to the entity tables', async () => {
      writeFiles(strict.data, { 'strict.csv': strictFile.text() });
      const result = cli.run(['source', 'run', 'strict-accounts', '--sandbox', strictSandbox, '--format', 'json'], 1);
      const reason =
        "5 of 100 records (5.0%) were quarantined, over the source's maxErrorRatio of 0.01; nothing from this run was written — fix the records listed by `roster source errors strict-accounts` or raise badRecords.maxErrorRatio";
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'failed',
        read: 100,
        written: 0,
        quarantined: 5,
        error: reason,
        stitched: [],
      });
      expect(result.stderr).toContain(`SOURCE_FAILED Source/strict-accounts run 1 failed: ${reason}`);
      expect(result.stderr).not.toMatch(/\n\s+at /);

      const { rows } = await pool.query(
        `select (select count(*)::int from ${s}.account_records) as account_records, (select count(*)::int from ${s}.accounts) as accounts,
                (select count(*)::int from ${s}.record_identities) as identities, (select count(*)::int from ${s}.source_watermarks) as watermarks`,
      );
      expect(rows).toEqual([{ account_records: 0, accounts: 0, identities: 0, watermarks: 0 }]);
    });

    it('still records the failed run and its quarantine', async () => {
      const runs = await pool.query(
        `select run_id::int, status, records_read::int as read, records_written::int as written,
                records_quarantined::int as quarantined, finished_at is not null as finished, error like '5 of 100 records%' as has_reason
         from ${s}.ingest_runs`,
      );
      expect(runs.rows).toEqual([
        { run_id: 1, status: 'failed', read: 100, written: 0, quarantined: 5, finished: true, has_reason: true },
      ]);
      const errors = cli.sourceErrors('strict-accounts', strictSandbox);
      expect(errors.total).toBe(5);
      expect(errors.records.map((r) => [r.line, r.field, r.reason])).toEqual(
        [7, 27, 47, 67, 87].map((i) => [
          strictFile.lineOf.get(`S${i}`),
          'AnnualRevenue',
          `annualRevenue: "${i}abc" is not a number`,
        ]),
      );
    });
  });
});
