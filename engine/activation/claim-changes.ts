import type { Queryable } from '../runtime/queryable';

/** An outbox row claimed for delivery (status `sending`). */
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
 * Puts back to `pending` the changes a dead worker left `sending`. Only the holder of the
 * destination's lock calls it, so no live worker is sending them: they may or may not have reached
 * the destination, and are sent again (receivers dedupe by idempotency key).
 */
export async function releaseInFlight(db: Queryable, schema: string, destination: string): Promise<number> {
  const { rowCount } = await db.query(
    `update ${schema}.activation_outbox set status = 'pending' where destination = $1 and status = 'sending'`,
    [destination],
  );
  return rowCount ?? 0;
}

/**
 * Claims up to `limit` due changes of a destination, oldest first, at most one per subject: a
 * change waits while an earlier change of the same subject is still open (retrying), so a
 * destination never sees an exit before the entry it undoes. `throughId` limits a scheduled
 * destination to the changes released by its last cron tick.
 *
 * The earlier-change check is a scalar subquery on purpose: written as NOT EXISTS, PostgreSQL turns
 * it into an anti-join over every open change of the destination (quadratic over a drain, and far
 * worse before the outbox is analysed); as a per-row probe of `activation_outbox_open_subject`, the
 * scan walks `activation_outbox_open` in id order and stops after `limit` rows.
 */
export async function claimChanges(
  db: Queryable,
  schema: string,
  options: { destination: string; limit: number; throughId: number | null },
): Promise<ClaimedChange[]> {
  const { rows } = await db.query<ClaimedChange & { outboxId: string; subjectId: string }>(
    `with due as (
       select o.id from ${schema}.activation_outbox o
       where o.destination = $1 and o.status = 'pending' and o.next_attempt_at <= now()
         and ($3::bigint is null or o.id <= $3::bigint)
         and (select e.id from ${schema}.activation_outbox e
              where e.destination = o.destination and e.segment = o.segment and e.subject_id = o.subject_id
                and e.id < o.id and e.status in ('pending', 'sending')
              limit 1) is null
       order by o.id limit $2
       for update skip locked)
     update ${schema}.activation_outbox o set status = 'sending', attempts = o.attempts + 1
     from due
     where o.id = due.id
     returning o.id as "outboxId", o.segment, o.subject_type as "subjectType", o.subject_id as "subjectId",
       o.change, o.idempotency_key as "idempotencyKey", o.attempts, o.created_at as "createdAt"`,
    [options.destination, options.limit, options.throughId],
  );
  return rows
    .map((row) => {
      const raw = row as unknown as { createdAt: Date };
      return {
        outboxId: Number(row.outboxId),
        segment: row.segment,
        subjectType: row.subjectType,
        subjectId: Number(row.subjectId),
        change: row.change,
        idempotencyKey: row.idempotencyKey,
        changedAt: raw.createdAt.toISOString(),
        attempts: row.attempts,
      };
    })
    .sort((a, b) => a.outboxId - b.outboxId);
}

/** Undoes the claim of changes that were not sent after all: pending again, the attempt not counted. */
export async function unclaimChanges(db: Queryable, schema: string, outboxIds: readonly number[]): Promise<void> {
  await db.query(
    `update ${schema}.activation_outbox set status = 'pending', attempts = attempts - 1
     where id = any($1::bigint[]) and status = 'sending'`,
    [outboxIds],
  );
}
