import { Client, type Pool } from 'pg';

/** The session lock held by the one worker delivering a destination; released by `unlock` or when its connection dies. */
export interface DestinationLock {
  unlock(): Promise<void>;
}

/**
 * Takes the destination's delivery lock if no other worker (in this or another `roster run`
 * process) holds it. A session-level advisory lock on a connection of its own, outside the pool:
 * a drain keeps it for its whole length, and taking it from the pool would let a few concurrent
 * drains hold every pooled connection while their own queries wait for one. A worker killed
 * mid-delivery loses the connection and with it the lock, so the next worker can take over.
 */
export async function tryLockDestination(
  pool: Pool,
  schema: string,
  destination: string,
): Promise<DestinationLock | undefined> {
  const client = new Client({ ...pool.options, application_name: 'roster-delivery-lock' });
  client.on('error', () => undefined); // a lost lock connection surfaces as a failed unlock below
  await client.connect();
  const key = `${schema}/${destination}`;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      "select pg_try_advisory_lock(hashtext('roster.destination'), hashtext($1)) as locked",
      [key],
    );
    if (!rows[0]?.locked) {
      await client.end();
      return undefined;
    }
  } catch (error) {
    await client.end().catch(() => undefined); // the original error says what went wrong
    throw error;
  }
  return {
    // Ending the session releases the lock; an explicit unlock first keeps the intent readable in logs.
    unlock: async () => {
      await client
        .query("select pg_advisory_unlock(hashtext('roster.destination'), hashtext($1))", [key])
        .catch(() => undefined); // the connection may be gone, which released the lock already
      await client.end().catch(() => undefined);
    },
  };
}
