import { spawnSync } from 'node:child_process';
import { promises as fs, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedHome, startEmbeddedDatabase, stopEmbeddedDatabase } from '../../engine/runtime/embedded-database';
import { migrateSandbox } from '../../engine/runtime/migrate-sandbox';
import { isProcessAlive } from '../../engine/util/is-process-alive';
import { dropSandboxes, testDatabaseUrl, uniqueSandbox } from '../support/test-database';

describe('the embedded default database', () => {
  // Under /tmp (mode 1777), so the postgres OS user can reach it when tests run as root.
  const home = path.join(os.tmpdir(), `roster-embedded-test-${process.pid}`);
  const env = { ROSTER_HOME: home };

  afterAll(async () => {
    await stopEmbeddedDatabase(env);
    await fs.rm(home, { recursive: true, force: true });
  });

  it('starts once, is reused by the next start, and answers queries', async () => {
    const url = await startEmbeddedDatabase(env);
    expect(await startEmbeddedDatabase(env)).toBe(url);
    const pool = new Pool({ connectionString: url });
    const { rows } = await pool.query('select current_database() as db, inet_server_addr()::text as addr');
    await pool.end();
    expect(rows[0]).toEqual({ db: 'roster', addr: '127.0.0.1/32' });
    expect(embeddedHome(env)).toBe(home);
  });

  it('stops a stale postmaster that holds the data directory but does not answer, then starts again', async () => {
    const url = await startEmbeddedDatabase(env);
    const dataDir = path.join(home, 'embedded-pg17', 'data');
    const pid = Number((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGSTOP'); // alive, holding the directory, answering nothing: what a hung server looks like
    const restartedUrl = await startEmbeddedDatabase(env);
    expect(isProcessAlive(pid)).toBe(false); // the stale one was stopped
    const newPid = Number((await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(newPid).not.toBe(pid);
    const pool = new Pool({ connectionString: restartedUrl });
    expect((await pool.query('select 1 as one')).rows[0].one).toBe(1);
    await pool.end();
    expect(new URL(restartedUrl).password).toBe(new URL(url).password);
  });

  it('keeps its data directory owned by the postgres OS user when run as root', async () => {
    if (os.userInfo().uid !== 0) return;
    const owner = spawnSync('stat', ['-c', '%U', path.join(home, 'embedded-pg17', 'data')], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(owner).toBe('postgres');
  });
});

describe('sandbox migrations', () => {
  it('are safe when several processes migrate the same new sandbox at once', async () => {
    const url = await testDatabaseUrl();
    const sandbox = uniqueSandbox('m');
    const pools = Array.from({ length: 4 }, () => new Pool({ connectionString: url, max: 1 }));
    await Promise.all(pools.map((pool) => migrateSandbox(pool, sandbox)));
    const check = pools[0]!;
    const { rows } = await check.query(
      `select version, name from roster_${sandbox}.schema_migrations order by version`,
    );
    const files = readdirSync(path.join(__dirname, '..', '..', 'engine', 'runtime', 'migrations'))
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(rows).toEqual(files.map((name) => ({ version: Number(name.slice(0, 4)), name }))); // each applied exactly once
    const tables = await check.query(
      `select table_name from information_schema.tables where table_schema = $1 order by 1`,
      [`roster_${sandbox}`],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'apply_journal',
        'apply_lock_holder',
        'apply_runs',
        'resource_revisions',
        'resources',
        'schema_migrations',
        'persons',
        'person_records',
      ]),
    );
    await dropSandboxes(check, [sandbox]);
    await Promise.all(pools.map((pool) => pool.end()));
  });
});
