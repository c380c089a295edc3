import type { Queryable } from '../runtime/queryable';
import type { ClaimedChange } from './claim-changes';

/**
 * Marks a delivered batch, in a short transaction of its own (two writes that must land together):
 * each change `delivered` (or `unmatched` with its reason), its attempt counted, its lease ended,
 * and what the destination now holds (`destination_members`). Only changes still leased to the
 * batch's `owner` are recorded: a worker whose lease expired and whose changes another worker
 * claimed again records nothing, so a change is never recorded twice. Returns the ids recorded.
 */
export async function recordDelivered(
  client: Queryable,
  schema: string,
  batch: { destination: string; batchId: string; owner: string; changes: readonly ClaimedChange[] },
  unmatched: ReadonlyMap<number, string>,
): Promise<number[]> {
  const ids = batch.changes.map((c) => c.outboxId);
  const reasons = JSON.stringify(Object.fromEntries(unmatched));
  const { rows } = await client.query<{
    id: string;
    change: string;
    segment: string;
    subjectType: string;
    subjectId: string;
  }>(
    // One scan of the batch's rows by primary key and no join: the reasons of unmatched changes
    // come as a JSON object keyed by id. A join with the batch's ids (even a materialised one) let
    // the planner start from `claimed_by = owner`, which the statistics of a column that is null
    // until a claim rate at one row, and nested-loop the whole batch against itself: 150-230 ms per
    // 1,000 changes instead of a few milliseconds, most of a webhook drain's time.
    `update ${schema}.activation_outbox o
     set status = case when $3::jsonb ? o.id::text then 'unmatched' else 'delivered' end, attempts = o.attempts + 1,
         delivered_at = clock_timestamp(), batch_id = $2, detail = $3::jsonb ->> o.id::text, last_error = null,
         lease_expires_at = null
     where o.id = any($1::bigint[]) and o.status = 'pending' and o.claimed_by = $4
     returning o.id, o.change, o.segment, o.subject_type as "subjectType", o.subject_id as "subjectId"`,
    [ids, batch.batchId, reasons, batch.owner],
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
  return rows.map((r) => Number(r.id));
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
 * Records a failed batch, in a short transaction of its own: its attempt counted, its claim ended
 * (owner too: a renewal racing the record must not lease a change that now waits for its backoff),
 * each change left `pending` for another attempt after `delayMs`, or `dead` (with the error) when
 * it was its last attempt or the failure is permanent. A delay the destination asked for
 * (`pauseDestination`) holds the whole destination, not just this batch. As with deliveries, only
 * changes still leased to `owner` are recorded; a late worker whose claim was taken over records
 * nothing, not even the destination's last error. Times are `clock_timestamp()`, the moment of
 * recording, so a backoff is counted from the answer.
 */
export async function recordFailed(
  db: Queryable,
  schema: string,
  failure: {
    destination: string;
    owner: string;
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
           attempts = attempts + 1, next_attempt_at = clock_timestamp() + $5 * interval '1 millisecond', last_error = $2,
           claimed_by = null, lease_expires_at = null
       where id = any($1::bigint[]) and status = 'pending' and claimed_by = $6
       returning status)
     select status, count(*)::int as n from failed group by status`,
    [
      failure.changes.map((c) => c.outboxId),
      failure.error,
      failure.retryable,
      failure.maxAttempts,
      failure.delayMs,
      failure.owner,
    ],
  );
  if (rows.length === 0) return { retrying: 0, dead: 0 };
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

/**
 * Gives back the changes of a claim that were not sent (delivery was cancelled, or an earlier part
 * of the batch failed): due at once, unleased, and the claim uncounted, since no worker died
 * holding them. A change already claimed by another worker is left alone.
 */
export async function releaseClaim(
  db: Queryable,
  schema: string,
  claim: { owner: string; changes: readonly ClaimedChange[] },
): Promise<void> {
  await db.query(
    `update ${schema}.activation_outbox set claimed_by = null, lease_expires_at = null, claims = claims - 1
     where id = any($1::bigint[]) and status = 'pending' and claimed_by = $2`,
    [claim.changes.map((c) => c.outboxId), claim.owner],
  );
}
