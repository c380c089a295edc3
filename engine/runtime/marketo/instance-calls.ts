import type { Pool } from 'pg';
import type { Queryable } from '../queryable';
import { withTransaction } from '../with-transaction';

/** The limits one caller applies to everything in flight at an instance, whoever sent it. */
export interface InstanceCallRequest {
  /** `host:port` of the instance's REST endpoint (`marketoInstanceOf`). */
  instance: string;
  maxConcurrency: number;
  callsPerWindow: number;
  windowMs: number;
  /** How long the call counts as in flight unless it ends or its lease is renewed first. */
  leaseMs: number;
}

/** Admitted (with the call's id), or how long to wait before asking again. */
export type InstanceCallAdmission = { admitted: true; callId: string } | { admitted: false; retryInMs: number };

/** Calls that still count: in flight, or ended less than a window ago (an expired lease ends the call). */
const RECENT = `instance = $1 and coalesce(ended_at, expires_at) > clock_timestamp() - $2 * interval '1 millisecond'`;

/**
 * Admits a call to the instance when fewer than `maxConcurrency` calls are in flight there and fewer
 * than `callsPerWindow` started or ended within the last `windowMs`, across every process sharing
 * the database. The instance row's lock makes the count and the insert one step. Times are the
 * database's (`clock_timestamp()`), so processes on several machines agree on them.
 */
export async function admitInstanceCall(pool: Pool, request: InstanceCallRequest): Promise<InstanceCallAdmission> {
  return withTransaction(pool, async (client) => {
    // Admissions to the instance one at a time, in every process. The count below is a statement
    // of its own, so its snapshot is taken after the lock: it sees the previous holder's call.
    await client.query("select pg_advisory_xact_lock(hashtext('roster.marketo'), hashtext($1))", [request.instance]);
    const { rows } = await client.query<{ callId: string | null; inFlight: number; nextLeavesInMs: number | null }>(
      `with recent as (
         select count(*) filter (where ended_at is null and expires_at > clock_timestamp()) as in_flight,
                count(*) as in_window, min(ended_at) as oldest_end
         from roster_shared.marketo_calls where ${RECENT}),
       admitted as (
         insert into roster_shared.marketo_calls (instance, started_at, expires_at)
         select $1, clock_timestamp(), clock_timestamp() + $5 * interval '1 millisecond' from recent
         where in_flight < $3 and in_window < $4
         returning id),
       -- Calls long out of every window are of no use any more.
       forgotten as (
         delete from roster_shared.marketo_calls
         where instance = $1 and coalesce(ended_at, expires_at) < clock_timestamp() - interval '1 hour')
       select (select id::text from admitted) as "callId", in_flight::int as "inFlight",
              (extract(epoch from oldest_end + $2 * interval '1 millisecond' - clock_timestamp()) * 1000)::float8
                as "nextLeavesInMs"
       from recent`,
      [request.instance, request.windowMs, request.maxConcurrency, request.callsPerWindow, request.leaseMs],
    );
    const { callId, inFlight, nextLeavesInMs } = rows[0]!;
    if (callId !== null) return { admitted: true, callId };
    if (inFlight >= request.maxConcurrency) return { admitted: false, retryInMs: CONCURRENCY_POLL_MS };
    return { admitted: false, retryInMs: Math.max(1, Math.ceil(nextLeavesInMs ?? CONCURRENCY_POLL_MS)) };
  });
}

/**
 * How soon a caller looks again when the instance has every place in flight taken: another
 * process's call may end any moment, and only this process's own calls can wake it earlier.
 */
const CONCURRENCY_POLL_MS = 25;

/** Ends an admitted call: from now it counts against the window only. */
export async function endInstanceCall(db: Queryable, callId: string): Promise<void> {
  await db.query('update roster_shared.marketo_calls set ended_at = clock_timestamp() where id = $1', [callId]);
}

/** Keeps a long call (a bulk file download) in flight for another `leaseMs`. */
export async function renewInstanceCall(db: Queryable, callId: string, leaseMs: number): Promise<void> {
  await db.query(
    `update roster_shared.marketo_calls set expires_at = clock_timestamp() + $2 * interval '1 millisecond'
     where id = $1 and ended_at is null`,
    [callId, leaseMs],
  );
}
