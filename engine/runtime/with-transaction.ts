import type { Pool, PoolClient } from 'pg';

/** Runs `work` in a transaction on one pooled client: committed if it resolves, rolled back if it throws. */
export async function withTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => undefined); // the connection may be gone; the original error matters
    throw error;
  } finally {
    client.release();
  }
}
