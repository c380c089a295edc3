import type { PoolClient } from 'pg';
import type { Queryable } from '../runtime/queryable';
import type { ClaimedChange } from './claim-changes';

/**
 * Marks a delivered batch, in the transaction that claimed it: each change `delivered` (or
 * `unmatched` with its reason), its attempt counted, and what the destination now holds
 * (`destination_members`). The claim's row locks guarantee no other worker records these changes.
 */
export async function recordDelivered(
  client: PoolClient,
  schema: string,
  batch: { destination: string; batchId: string; changes: readonly ClaimedChange[] },
  unmatched: ReadonlyMap<number, string>,
): Promise<number> {
  const ids = batch.changes.map((c) => c.outboxId);
  const unmatchedIds = [...unmatched.keys()];
  const reasons = [...unmatched.values()];
  const { rows } = await client.query<{
    id: string;
    change: string;
    segment: string;
    subjectType: string;
    subjectId: string;
  }>(
    // The batch's rows are found by primary key first (a materialised CTE): the statistics of
    // `status` lag during a drain, and a plan driven by them scanned the table and
    // nested-loop-joined it with the batch, 2 s per 1,000 changes instead of a few milliseconds.
    `with batch as materialized (select o.id from ${schema}.activation_outbox o where o.id = any($1::bigint[]))
     update ${schema}.activation_outbox o
     set status = case when r.reason is null then 'delivered' else 'unmatched' end, attempts = o.attempts + 1,
         delivered_at = clock_timestamp(), batch_id = $2, detail = r.reason, last_error = null
     from batch b left join unnest($3::bigint[], $4::text[]) as r(id, reason) on r.id = b.id
     where o.id = b.id and o.status = 'pending'
     returning o.id, o.change, o.segment, o.subject_type as "subjectType", o.subject_id as "subjectId"`,
    [ids, batch.batchId, unmatchedIds, reasons],
  );
  const entered = rows.filter((r) => r.change === 'entered' && !unmatched.has(Number(r.id)));
  const exited = rows.filter((r) => r.change === 'exited');
  if (entered.length > 0)
    await client.query(
      `insert into ${schema}.destination_members (destination, segment, subject_type, subject_id, delivered_at, outbox_id)
       select $1, segment, subject_type, subject_id, clock_timestamp(), id from unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) as m(segment, subject_type, subject_id, id)
       on conflict (destination, segment, subject_id) do update set delivered_at = excluded.delivered_at, outbox_id = excluded.outbox_id`,
      [
        batch.destination,
        entered.map((r) => r.segment),
        entered.map((r) => r.subjectType),
        entered.map((r) => r.subjectId),
        entered.map((r) => r.id),
      ],
    );
  if (exited.length > 0)
    await client.query(
      `delete from ${schema}.destination_members d using unnest($2::text[], $3::bigint[]) as x(segment, subject_id)
       where d.destination = $1 and d.segment = x.segment and d.subject_id = x.subject_id`,
      [batch.destination, exited.map((r) => r.segment), exited.map((r) => r.subjectId)],
    );
  return rows.length;
}

/**
 * Records that deliveries landed (at most once a second during a drain, not per batch: concurrent
 * batches would queue on this one row).
 */
export async function recordSuccess(db: Queryable, schema: string, destination: string): Promise<void> {
  await db.query(
    `insert into ${schema}.destination_state (destination, last_success_at) values ($1, now())
     on conflict (destination) do update set last_success_at = now()`,
    [destination],
  );
}

/**
 * Times are `clock_timestamp()`, not `now()`: the transaction began before the request went out,
 * and a backoff counted from then would be cut short by however long the destination took.
 *
 * Records a failed batch, in the transaction that claimed it: its attempt counted, each change
 * left `pending` for another attempt after `delayMs`, or `dead` (with the error) when it was its
 * last attempt or the failure is permanent. A delay the destination asked for (`pauseDestination`)
 * holds the whole destination, not just this batch.
 */
export async function recordFailed(
  db: Queryable,
  schema: string,
  failure: {
    destination: string;
    changes: readonly ClaimedChange[];
    error: string;
    retryable: boolean;
    maxAttempts: number;
    delayMs: number;
    pauseDestination: boolean;
  },
): Promise<{ retrying: number; dead: number }> {
  const { rows } = await db.query<{ status: string; n: number }>(
    `with failed as (
       update ${schema}.activation_outbox
       set status = case when $3::boolean and attempts + 1 < $4 then 'pending' else 'dead' end,
           attempts = attempts + 1, next_attempt_at = clock_timestamp() + $5 * interval '1 millisecond', last_error = $2
       where id = any($1::bigint[]) and status = 'pending'
       returning status)
     select status, count(*)::int as n from failed group by status`,
    [failure.changes.map((c) => c.outboxId), failure.error, failure.retryable, failure.maxAttempts, failure.delayMs],
  );
  await db.query(
    `insert into ${schema}.destination_state (destination, last_error, last_error_at, resume_at)
     values ($1, $2, clock_timestamp(), case when $3::boolean then clock_timestamp() + $4 * interval '1 millisecond' end)
     on conflict (destination) do update set last_error = $2, last_error_at = clock_timestamp(),
       resume_at = case when $3::boolean then clock_timestamp() + $4 * interval '1 millisecond' else destination_state.resume_at end`,
    [failure.destination, failure.error, failure.pauseDestination, failure.delayMs],
  );
  const count = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
  return { retrying: count('pending'), dead: count('dead') };
}
