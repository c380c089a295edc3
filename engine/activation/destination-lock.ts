import type { Pool, PoolClient } from 'pg';

/** The session lock held by the one worker delivering a destination; released by `unlock` or when its connection dies. */
export interface DestinationLock {
  client: PoolClient;
  unlock(): Promise<void>;
}

/**
 * Takes the destination's delivery lock if no other worker (in this or another `roster run`
 * process) holds it. A session-level advisory lock on a dedicated connection: a worker killed
 * mid-delivery loses its connection and with it the lock, so the next worker can take over.
 */
export async function tryLockDestination(
  pool: Pool,
  schema: string,
  destination: string,
): Promise<DestinationLock | undefined> {
  const client = await pool.connect();
  const key = `${schema}/${destination}`;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "select pg_try_advisory_lock(hashtext('roster.destination'), hashtext($1)) as locked",
      [key],
    );
    if (!rows[0]?.locked) {
      client.release();
      return undefined;
    }
  } catch (error) {
    client.release(true);
    throw error;
  }
  return {
    client,
    unlock: async () => {
      try {
        await client.query("select pg_advisory_unlock(hashtext('roster.destination'), hashtext($1))", [key]);
        client.release();
      } catch {
        client.release(true); // a broken connection: discard it, which also drops the lock
      }
    },
  };
}
