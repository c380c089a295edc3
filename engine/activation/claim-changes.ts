import type { PoolClient } from 'pg';

/** An outbox change claimed for delivery: its row is locked by the claiming transaction. */
export interface ClaimedChange {
  outboxId: number;
  segment: string;
  subjectType: 'person' | 'account';
  subjectId: number;
  change: 'entered' | 'exited';
  idempotencyKey: string;
  changedAt: string;
  /** Attempts including this one. */
  attempts: number;
}

/**
 * Claims up to `limit` due changes of a destination, oldest first, at most one per subject, by
 * locking their rows (`for update skip locked`) in the caller's transaction: the claim lasts as long
 * as that transaction, which records the outcome and commits, or dies with its worker and releases
 * them. Nothing is written to claim, so each change is written once, when its outcome is recorded.
 *
 * A change waits while an earlier change of the same subject is still pending, locked by another
 * batch in flight or retrying, so a destination never sees an exit before the entry it undoes.
 * `throughId` limits a scheduled destination to the changes released by its last cron tick.
 *
 * The earlier-change check is a scalar subquery on purpose: written as NOT EXISTS, PostgreSQL turns
 * it into an anti-join over every open change of the destination (quadratic over a drain, and far
 * worse before the outbox is analysed); as a per-row probe of `activation_outbox_open_subject`, the
 * scan walks `activation_outbox_open` in id order and stops after `limit` rows.
 */
export async function claimChanges(
  client: PoolClient,
  schema: string,
  options: { destination: string; limit: number; throughId: number | null },
): Promise<ClaimedChange[]> {
  const { rows } = await client.query<{
    outboxId: string;
    segment: string;
    subjectType: 'person' | 'account';
    subjectId: string;
    change: 'entered' | 'exited';
    idempotencyKey: string;
    attempts: number;
    createdAt: Date;
  }>(
    `select o.id as "outboxId", o.segment, o.subject_type as "subjectType", o.subject_id as "subjectId",
       o.change, o.idempotency_key as "idempotencyKey", o.attempts + 1 as attempts, o.created_at as "createdAt"
     from ${schema}.activation_outbox o
     where o.destination = $1 and o.status = 'pending' and o.next_attempt_at <= now()
       and ($3::bigint is null or o.id <= $3::bigint)
       and (select e.id from ${schema}.activation_outbox e
            where e.destination = o.destination and e.segment = o.segment and e.subject_id = o.subject_id
              and e.id < o.id and e.status = 'pending'
            limit 1) is null
     order by o.id limit $2
     for update of o skip locked`,
    [options.destination, options.limit, options.throughId],
  );
  return rows.map((row) => ({
    outboxId: Number(row.outboxId),
    segment: row.segment,
    subjectType: row.subjectType,
    subjectId: Number(row.subjectId),
    change: row.change,
    idempotencyKey: row.idempotencyKey,
    changedAt: row.createdAt.toISOString(),
    attempts: row.attempts,
  }));
}
