import { Client, Pool, type PoolClient } from 'pg';
import type { Queryable } from './queryable';

/** How a step runs: `nested` when inside the caller's transaction (its commit is not the step's to make). */
export interface TransactionStep {
  nested: boolean;
}

type Work<T> = (client: PoolClient, step: TransactionStep) => Promise<T>;

/**
 * Runs `work` as one unit on the connection `db` gives, and returns its result.
 *
 * - `db` is a pool: a transaction on one pooled client, committed if `work` resolves, rolled back if
 *   it throws.
 * - `db` is a client already in the caller's transaction: a savepoint, released if `work` resolves,
 *   rolled back to if it throws. A failed step undoes only its own writes, and nothing is committed
 *   here: the caller's commit or rollback decides for the step too (decision 59). Temporary tables
 *   the step created (`on commit drop` ones would last until the caller commits) are dropped with
 *   it, so the same step can run again in the same transaction.
 * - `db` is a client in no transaction: a transaction of its own, as on a pool.
 *
 * `work` gets the client as given (never released by it); COPY and session settings need one.
 */
export async function withTransaction<T>(db: Queryable, work: Work<T>): Promise<T> {
  if (db instanceof Pool) return onPool(db, work);
  if (isPoolClient(db)) return onClient(db, work);
  throw new TypeError('withTransaction needs a pg Pool or a pooled client; other Queryables cannot hold a transaction');
}

function isPoolClient(db: Queryable): db is PoolClient {
  return db instanceof Client && 'release' in db && typeof db.release === 'function';
}

async function onPool<T>(pool: Pool, work: Work<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, work);
  } finally {
    client.release();
  }
}

async function inTransaction<T>(client: PoolClient, work: Work<T>): Promise<T> {
  await client.query('begin');
  try {
    const result = await work(client, { nested: false });
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined); // the connection may be gone; the original error matters
    throw error;
  }
}

/**
 * A savepoint when the client is in a transaction. PostgreSQL refuses `savepoint` outside one
 * (25P01), which is how a client in no transaction is told apart without a round trip of its own.
 * Nested steps may reuse the name: PostgreSQL releases or rolls back to the most recent one.
 */
async function onClient<T>(client: PoolClient, work: Work<T>): Promise<T> {
  try {
    await client.query('savepoint roster_step');
  } catch (error) {
    if ((error as { code?: string }).code === '25P01') return inTransaction(client, work);
    throw error;
  }
  try {
    const before = await tempTables(client);
    const result = await work(client, { nested: true });
    const created = (await tempTables(client)).filter((table) => !before.includes(table));
    if (created.length > 0) await client.query(`drop table ${created.join(', ')}`);
    await client.query('release savepoint roster_step');
    return result;
  } catch (error) {
    // Only this step's writes go (and the temporary tables it created); the caller's transaction
    // stays usable. If the connection is gone, the original error matters.
    await client.query('rollback to savepoint roster_step; release savepoint roster_step').catch(() => undefined);
    throw error;
  }
}

/** The session's temporary tables, schema-qualified and quoted (`regclass` output). */
async function tempTables(client: PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select c.oid::regclass::text as name from pg_class c where c.relnamespace = pg_my_temp_schema() and c.relkind in ('r', 'p')`,
  );
  return rows.map((r) => r.name);
}
