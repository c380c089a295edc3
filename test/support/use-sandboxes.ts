import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from './test-database';

/** A test file's database pool, CLI environment and sandboxes; see `useSandboxes`. */
export interface Sandboxes {
  readonly pool: Pool;
  /** Environment for `roster` child processes: the test database. */
  readonly env: NodeJS.ProcessEnv;
  /** A new sandbox name (dropped after the file) and its own empty config directory. */
  create(prefix: string): Promise<{ sandbox: string; dir: string }>;
}

/**
 * Registers the file's hooks: a pool and a temp directory before the tests, and every sandbox
 * created dropped, the pool closed and the directory removed after them.
 */
export function useSandboxes(tempPrefix: string): Sandboxes {
  const sandboxes: string[] = [];
  let pool: Pool;
  let env: NodeJS.ProcessEnv;
  let work: string;
  beforeAll(async () => {
    // 8: in-process delivery runs up to half the pool's connections as batches in flight (4 for a
    // webhook's default concurrency); connections open only when used.
    pool = await testPool(8);
    env = { DATABASE_URL: await testDatabaseUrl() };
    work = await fs.mkdtemp(path.join(os.tmpdir(), tempPrefix));
  });
  afterAll(async () => {
    await dropSandboxes(pool, sandboxes);
    await pool.end();
    await fs.rm(work, { recursive: true, force: true });
  });
  return {
    get pool() {
      return pool;
    },
    get env() {
      return env;
    },
    async create(prefix) {
      const sandbox = uniqueSandbox(prefix);
      sandboxes.push(sandbox);
      const dir = path.join(work, sandbox);
      await fs.mkdir(dir, { recursive: true });
      return { sandbox, dir };
    },
  };
}
