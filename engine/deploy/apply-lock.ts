import type { Pool, PoolClient } from 'pg';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** The single-writer lock of a sandbox, held on one dedicated connection until released. */
export interface ApplyLock {
  release(): Promise<void>;
}

/** The tools that write a sandbox under its lock, as other writers are told who holds it. */
export type LockingTool = 'roster apply' | 'roster destroy' | 'roster promote' | 'pulumi';

/** `roster apply (alice@ci-7, pid 4242)`: what holds the lock and who runs it. */
export function lockHolder(tool: LockingTool, appliedBy: string, pid: number): string {
  return `${tool} (${appliedBy}, pid ${pid})`;
}

/** Raised when another apply holds the sandbox; names the holder so the user knows whom to wait for. */
export class ApplyLockedError extends Error {
  override readonly name = 'ApplyLockedError';
  constructor(
    readonly sandbox: string,
    readonly holder: string,
    readonly since: string | undefined,
  ) {
    super(`sandbox ${sandbox} is locked by ${holder}${since ? ` since ${since}` : ''}`);
  }
}

/**
 * Takes the sandbox's apply lock: a session advisory lock, so PostgreSQL releases it when the
 * holder's connection ends (a killed apply never leaves a stale lock). Fails at once naming the
 * holder, or waits up to `timeoutMs` polling every 250 ms.
 */
export async function acquireApplyLock(
  pool: Pool,
  sandbox: string,
  holder: string,
  timeoutMs: number,
): Promise<ApplyLock> {
  const schema = sandboxSchema(sandbox);
  const client = await pool.connect();
  const deadline = Date.now() + timeoutMs;
  try {
    while (!(await tryLock(client, schema))) {
      if (Date.now() >= deadline) {
        const current = await tryReadApplyLockHolder(client, sandbox);
        throw new ApplyLockedError(sandbox, current?.holder ?? 'another process', current?.since);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await client.query(
      `insert into ${schema}.apply_lock_holder (singleton, holder, since) values (true, $1, now())
       on conflict (singleton) do update set holder = excluded.holder, since = excluded.since, apply_id = null`,
      [holder],
    );
  } catch (error) {
    client.release();
    throw error;
  }
  return {
    async release() {
      try {
        await client.query(`delete from ${schema}.apply_lock_holder`);
        await client.query("select pg_advisory_unlock(hashtext('roster.apply'), hashtext($1))", [schema]);
      } finally {
        client.release();
      }
    },
  };
}

/** True when nobody holds the lock right now (checked by taking and dropping it). */
export async function isApplyLockFree(pool: Pool, sandbox: string): Promise<boolean> {
  const schema = sandboxSchema(sandbox);
  const client = await pool.connect();
  try {
    const free = await tryLock(client, schema);
    if (free) await client.query("select pg_advisory_unlock(hashtext('roster.apply'), hashtext($1))", [schema]);
    return free;
  } finally {
    client.release();
  }
}

async function tryLock(client: PoolClient, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ locked: boolean }>(
    "select pg_try_advisory_lock(hashtext('roster.apply'), hashtext($1)) as locked",
    [schema],
  );
  return rows[0]!.locked;
}

/**
 * Who holds the sandbox's apply lock and since when (UTC, ISO), as the holder recorded it; undefined
 * when no holder row is there (free, or a holder that has not written its row yet).
 */
export async function tryReadApplyLockHolder(
  db: Queryable,
  sandbox: string,
): Promise<{ holder: string; since: string } | undefined> {
  const { rows } = await db.query<{ holder: string; since: string }>(
    `select holder, to_char(since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since from ${sandboxSchema(sandbox)}.apply_lock_holder`,
  );
  return rows[0];
}
