import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePersonsCsv } from '../../../bench/generate-persons-csv';
import { startEmbeddedDatabase, stopEmbeddedDatabase } from '../../../engine/runtime/embedded-database';
import { writeConfigDir } from '../../support/config-dir';
import { crmPeopleConfig } from '../../support/crm-people-config';
import { roster, rosterAsync } from '../../support/run-roster';
import { waitFor } from '../../support/wait-for';

/**
 * A PostgreSQL restart in the middle of a load: the run dies with a clear RUNTIME_DATABASE message,
 * nothing of it is committed, and running the source again gives exactly the rows a clean run gives.
 * Uses its own embedded server (under /tmp), so restarting it disturbs no other test.
 */
const home = path.join(os.tmpdir(), `roster-restart-${process.pid}`);
const embeddedEnv = { ROSTER_HOME: home };
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  env = { DATABASE_URL: await startEmbeddedDatabase(embeddedEnv) };
  dir = await writeConfigDir({
    ...crmPeopleConfig({ file: 'persons.csv' }),
  });
  await fs.mkdir(path.join(dir, 'data'));
  await writePersonsCsv(path.join(dir, 'data', 'persons.csv'), 300_000);
  for (const sandbox of ['restarted', 'clean'])
    expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await stopEmbeddedDatabase(embeddedEnv);
  await fs.rm(home, { recursive: true, force: true });
  await fs.rm(dir, { recursive: true, force: true });
});

async function checksum(sandbox: string): Promise<{ n: number; sum: string }> {
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  const { rows } = await pool.query(
    `select count(*)::int as n, md5(string_agg(source_key || ':' || email, ',' order by source_key)) as sum from roster_${sandbox}.person_records`,
  );
  await pool.end();
  return rows[0];
}

describe('a PostgreSQL restart mid-load', () => {
  it('fails the run cleanly, commits nothing, and the re-run equals a clean run', async () => {
    const run = rosterAsync(['source', 'run', 'crm', '--sandbox', 'restarted', '--no-stitch'], env);
    // Restart once the load is under way (10,000 rows read), however slow the machine is today.
    await waitFor(
      () => (/[1-9]\d{4,} read/.test(run.output().stderr) ? true : undefined),
      'the load to be under way',
      240_000,
    );
    await stopEmbeddedDatabase(embeddedEnv);
    expect(await startEmbeddedDatabase(embeddedEnv)).toBe(env.DATABASE_URL);
    const killed = await run.done;
    expect(killed.code).toBe(1);
    expect(killed.stderr).toContain('RUNTIME_DATABASE the database connection failed');
    expect(killed.stderr).not.toMatch(/\n\s+at /);
    expect((await checksum('restarted')).n).toBe(0);

    expect(roster(['source', 'run', 'crm', '--sandbox', 'restarted', '--no-stitch'], env).code).toBe(0);
    expect(roster(['source', 'run', 'crm', '--sandbox', 'clean', '--no-stitch'], env).code).toBe(0);
    const [restarted, clean] = [await checksum('restarted'), await checksum('clean')];
    expect(restarted).toEqual(clean);
    expect(clean.n).toBe(300_000);
    // Three loads of 300,000 rows: bounded by work, not by a wall-clock guess, so a busy machine
    // (CI with another process on the second core) gets the time the work needs.
  }, 600_000);
});
