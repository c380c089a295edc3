import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import type { Queryable } from './queryable';
import { sandboxSchema } from './sandbox-schema';
import { withTransaction } from './with-transaction';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** The numbered, append-only migrations (`0001_registry.sql`...), in order. */
function loadMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file,
      sql: readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8'),
    }));
}

const migrated = new WeakMap<Pool, Set<string>>();

/**
 * Brings the sandbox's schema (`roster_<sandbox>`) up to the latest migration. Safe when several
 * processes start at once: a transaction-scoped advisory lock per schema serialises them, and each
 * migration runs in that transaction, so a crash leaves none half-applied. Cached per pool; not for
 * a client in the caller's transaction, which the caller may still roll back.
 */
export async function migrateSandbox(db: Queryable, sandbox: string): Promise<void> {
  const done = db instanceof Pool ? (migrated.get(db) ?? new Set<string>()) : new Set<string>();
  if (db instanceof Pool) migrated.set(db, done);
  if (done.has(sandbox)) return;
  const schema = sandboxSchema(sandbox);
  await withTransaction(db, async (client, { nested }) => {
    await client.query("select pg_advisory_xact_lock(hashtext('roster.migrate'), hashtext($1))", [schema]);
    await client.query(`create schema if not exists ${schema}`);
    await client.query(
      `create table if not exists ${schema}.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const { rows } = await client.query<{ version: number }>(`select version from ${schema}.schema_migrations`);
    const applied = new Set(rows.map((r) => r.version));
    const pending = loadMigrations().filter((m) => !applied.has(m.version));
    if (pending.length === 0) return;
    // A local setting outlives a savepoint: inside the caller's transaction, its own is put back.
    const { rows: before } = nested
      ? await client.query<{ path: string }>(`select current_setting('search_path') as path`)
      : { rows: [] };
    await client.query(`set local search_path to ${schema}`);
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query(`insert into ${schema}.schema_migrations (version, name) values ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
    if (before[0]) await client.query(`select set_config('search_path', $1, true)`, [before[0].path]);
  });
  done.add(sandbox);
}

/** What a read-only look at a sandbox's schema found (for `roster plan`, which must not migrate). */
export interface SandboxState {
  /** The `roster_<sandbox>` schema exists. */
  exists: boolean;
  /** Migration files not yet recorded in its `schema_migrations` (all of them when it does not exist). */
  pending: string[];
  /** The registry (migration 0001) is there, so applied resources can be read. */
  hasRegistry: boolean;
}

/**
 * Reads, without writing or locking, whether the sandbox's schema exists and which migrations it
 * lacks. Uses pg_namespace, not information_schema.schemata, which hides schemas a SELECT-only
 * role does not own.
 */
export async function readSandboxState(db: Queryable, sandbox: string): Promise<SandboxState> {
  const schema = sandboxSchema(sandbox);
  const all = loadMigrations();
  // sandboxSchema is the quoted identifier; pg_namespace holds the bare name.
  const { rows } = await db.query<{ exists: boolean; tracked: boolean }>(
    `select exists (select 1 from pg_namespace where nspname = $1) as exists,
       to_regclass($2) is not null as tracked`,
    [schema.slice(1, -1), `${schema}.schema_migrations`],
  );
  if (!rows[0]!.exists) return { exists: false, pending: all.map((m) => m.name), hasRegistry: false };
  if (!rows[0]!.tracked) return { exists: true, pending: all.map((m) => m.name), hasRegistry: false };
  const applied = await db.query<{ version: number }>(`select version from ${schema}.schema_migrations`);
  const versions = new Set(applied.rows.map((r) => r.version));
  return {
    exists: true,
    pending: all.filter((m) => !versions.has(m.version)).map((m) => m.name),
    hasRegistry: versions.has(1),
  };
}
