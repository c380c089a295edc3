/**
 * A run killed with SIGKILL in the middle of a large load leaves nothing half-written: its rows are
 * not visible (the load is one transaction), the run stays marked as not succeeded, and running
 * again gives exactly what a clean run gives, down to a checksum of every row.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { type RosterResult, rosterAsync } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { countsOf, makeWorkspace, RosterCli, type Workspace, writeFiles } from './ingest-kit';

const ROWS = 200_000;

const CONFIG = `apiVersion: roster/v1
kind: Source
metadata: { name: bulk-persons }
spec:
  type: file
  file: { baseDir: ../data }
  objects:
    - name: persons
      entity: person
      path: persons.csv
      key: id
      watermark: updated_at
      fields: { email: email, firstName: first_name, lastName: last_name, updatedAt: updated_at }
`;

interface Person {
  id: string;
  email: string;
  first: string;
  last: string;
}

function person(i: number): Person {
  return {
    id: `p${String(i).padStart(6, '0')}`,
    email: `person${i}@example.org`,
    first: `First${i}`,
    last: `Last${i % 977}`,
  };
}

/** The persons CSV, and the checksum its rows must have once loaded (computed here, not by the engine). */
function generatePersons(file: string): { checksum: string } {
  const lines = ['id,email,first_name,last_name,updated_at'];
  const hash = createHash('md5');
  for (let i = 0; i < ROWS; i++) {
    const p = person(i);
    const minute = String(i % 60).padStart(2, '0');
    lines.push(`${p.id},${p.email},${p.first},${p.last},2024-05-01T10:${minute}:00Z`);
    hash.update(`${i === 0 ? '' : '\n'}${p.id},${p.email},${p.first},${p.last}`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { checksum: hash.digest('hex') };
}

/** Resolves with the last progress count once `roster source run`'s stderr reports at least `atLeast` records read. */
function progressReaching(output: () => { stderr: string }, atLeast: number, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const counts = [...output().stderr.matchAll(/^(\d+) read, /gm)].map((m) => Number(m[1]));
      const last = counts.at(-1) ?? 0;
      if (last >= atLeast) {
        clearInterval(poll);
        resolve(last);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no progress past ${atLeast} records after ${timeoutMs} ms; stderr:\n${output().stderr}`));
      }
    }, 20);
  });
}

describe('a source run killed mid-load', () => {
  let pool: Pool;
  let cli: RosterCli;
  let databaseUrl: string;
  let workspace: Workspace;
  let expected: { checksum: string };
  const crashed = uniqueSandbox('crash');
  const clean = uniqueSandbox('clean');

  beforeAll(async () => {
    pool = await testPool();
    databaseUrl = await testDatabaseUrl();
    cli = new RosterCli(databaseUrl);
    workspace = makeWorkspace('crash');
    writeFiles(workspace.config, { 'bulk-persons.yaml': CONFIG });
    expected = generatePersons(path.join(workspace.data, 'persons.csv'));
    cli.apply(workspace.config, crashed);
    cli.apply(workspace.config, clean);
  });

  afterAll(async () => {
    await dropSandboxes(pool, [crashed, clean]);
    await pool.end();
    workspace.remove();
  });

  /** Row count and checksum of the loaded persons, by independent SQL. */
  async function loaded(sandbox: string): Promise<{ n: number; checksum: string | null }> {
    const { rows } = await pool.query<{ n: number; checksum: string | null }>(
      `select count(*)::int as n,
              md5(string_agg(source_key || ',' || email || ',' || first_name || ',' || last_name, E'\\n' order by source_key collate "C")) as checksum
       from ${sandboxSchema(sandbox)}.person_records`,
    );
    return rows[0]!;
  }

  it('leaves no row, no watermark and no finished run behind when killed with SIGKILL', async () => {
    const run = rosterAsync(
      ['source', 'run', 'bulk-persons', '--sandbox', crashed, '--format', 'json', '--no-stitch'],
      {
        DATABASE_URL: databaseUrl,
      },
    );
    const readAtKill = await progressReaching(run.output, 20_000);
    run.child.kill('SIGKILL');
    const killed: RosterResult = await run.done;

    expect(readAtKill).toBeLessThan(ROWS); // killed while still reading, not after the commit
    expect(killed.code).toBeNull();
    expect(killed.stdout).toBe('');
    const s = sandboxSchema(crashed);
    expect(await loaded(crashed)).toEqual({ n: 0, checksum: null });
    const { rows } = await pool.query(
      `select (select count(*)::int from ${s}.source_watermarks) as watermarks, (select count(*)::int from ${s}.quarantine) as quarantined,
              (select json_agg(json_build_object('status', status, 'finished', finished_at is not null, 'written', records_written::int)) from ${s}.ingest_runs) as runs`,
    );
    expect(rows[0].watermarks).toBe(0);
    expect(rows[0].quarantined).toBe(0);
    expect(rows[0].runs).toHaveLength(1);
    expect(['running', 'failed']).toContain(rows[0].runs[0].status);
    expect(rows[0].runs[0]).toMatchObject({ finished: rows[0].runs[0].status === 'failed', written: 0 });
  });

  it('loads everything on the next run, exactly as a clean run into another sandbox does', async () => {
    const rerun = cli.sourceRun('bulk-persons', crashed, { extra: ['--no-stitch'] });
    const fresh = cli.sourceRun('bulk-persons', clean, { extra: ['--no-stitch'] });
    const all = { status: 'succeeded', read: ROWS, written: ROWS, unchanged: 0, deleted: 0, quarantined: 0 };
    expect(countsOf(rerun)).toEqual(all);
    expect(countsOf(fresh)).toEqual(all);

    const recovered = await loaded(crashed);
    expect(recovered).toEqual({ n: ROWS, checksum: expected.checksum });
    expect(await loaded(clean)).toEqual(recovered);
    const marks = await pool.query(
      `select c.watermark = r.watermark as same, c.watermark from ${sandboxSchema(clean)}.source_watermarks c, ${sandboxSchema(crashed)}.source_watermarks r`,
    );
    expect(marks.rows).toEqual([{ same: true, watermark: '2024-05-01T10:59:00.000Z' }]);
  });

  it('keeps the killed run in the history, apart from the run that recovered', async () => {
    const { rows } = await pool.query(
      `select run_id::int, status, records_written::int as written from ${sandboxSchema(crashed)}.ingest_runs order by run_id`,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ run_id: 1, written: 0 });
    expect(rows[0].status).not.toBe('succeeded');
    expect(rows[1]).toEqual({ run_id: 2, status: 'succeeded', written: ROWS });
  });
});
