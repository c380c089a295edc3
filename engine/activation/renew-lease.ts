import type { Queryable } from '../runtime/queryable';
import type { ClaimedChange } from './claim-changes';

/**
 * Extends the lease of a claim still held by `owner` to `leaseMs` from now. The changes are named
 * by id (`claimed_by` has no index: a claim stays a HOT update). A change another worker claimed
 * meanwhile, or whose outcome is recorded, is left alone.
 */
export async function renewLease(
  db: Queryable,
  schema: string,
  claim: { owner: string; leaseMs: number; changes: readonly ClaimedChange[] },
): Promise<void> {
  await db.query(
    `update ${schema}.activation_outbox set lease_expires_at = clock_timestamp() + $3 * interval '1 millisecond'
     where id = any($1::bigint[]) and status = 'pending' and claimed_by = $2`,
    [claim.changes.map((c) => c.outboxId), claim.owner, claim.leaseMs],
  );
}

/**
 * Renews a claim's lease every third of its length while its batch is in flight (Marketo's retries
 * and back-off, or a slow destination, may take longer than one lease), so that only a worker that
 * stopped loses its claim. Returns the function that stops renewing. A renewal that fails is logged
 * and tried again at the next tick; if the lease runs out meanwhile, the outcome is not recorded by
 * this worker but by the one that claims the changes again.
 */
export function keepLeaseAlive(
  db: Queryable,
  schema: string,
  claim: { owner: string; leaseMs: number; changes: readonly ClaimedChange[] },
  log: (entry: Record<string, unknown>) => void,
): () => void {
  const timer = setInterval(
    () => {
      renewLease(db, schema, claim).catch((error: unknown) =>
        log({
          level: 'warn',
          msg: 'delivery lease not renewed',
          owner: claim.owner,
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    },
    Math.max(1, Math.floor(claim.leaseMs / 3)),
  );
  timer.unref(); // the batch's own work keeps the process alive, not its lease
  return () => clearInterval(timer);
}
