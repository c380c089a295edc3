import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmbeddedDatabase } from '../../engine/runtime/embedded-database';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';

/**
 * The database tests run against: `DATABASE_URL` (CI points it at a throwaway database on the
 * local server), else the embedded default, as `npm test` on a fresh machine would use.
 */
export async function testDatabaseUrl(): Promise<string> {
  return process.env.DATABASE_URL || startEmbeddedDatabase(process.env);
}

/** A sandbox name no other test uses, so test files can run in parallel on one database. */
export function uniqueSandbox(prefix = 't'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A pool for independent checks (tests assert with their own SQL, not the code under test's reads). */
export async function testPool(max = 3): Promise<Pool> {
  return new Pool({ connectionString: await testDatabaseUrl(), max });
}

/** Drops the sandboxes' schemas (tests clean up what they made). */
export async function dropSandboxes(pool: Pool, sandboxes: readonly string[]): Promise<void> {
  for (const sandbox of sandboxes) await pool.query(`drop schema if exists ${sandboxSchema(sandbox)} cascade`);
}
