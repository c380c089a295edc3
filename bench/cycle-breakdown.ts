import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../engine/runtime/with-transaction';
import { buildSharedEventCounts, dropSharedEventCounts } from '../engine/segment/build-shared-event-counts';
import { compileSegment } from '../engine/segment/compile-segment';
import type { AppliedSegment } from '../engine/segment/read-applied-segments';
import {
  readsSharedCounts,
  type SharedEventCounts,
  sharedEventConditions,
} from '../engine/segment/shared-event-counts';
import { timed } from './measure';
import type { CycleRun } from './run-cycle';

/** Where a segment run's time goes, summed over a sample of segments. */
export interface RunBreakdown {
  segments: number;
  /** The whole `evaluateSegment` (from the cycle's own timings). */
  total: number;
  /** The compiled member-set statement alone, reading the cycle's shared event counts, as the cycle runs it. */
  statement: number;
  /** The same statements, each counting its own events (a segment run alone, before decision 74). */
  statementAlone: number;
  /** The member set joined with the stored membership (the diff), counted, nothing written. */
  diff: number;
}

/**
 * Re-runs, for `sample`, the member-set statement alone and the diff alone (same session settings
 * as a batch run: UTC, 64 MB of work memory; in a transaction that writes nothing), and sets them
 * beside the segments' times in `run`: the rest of a run is its bookkeeping (run rows, membership,
 * history and outbox writes, counts, round trips). The statements read event counts shared by all
 * of `cycle`'s batch segments, as `evaluateSegmentCycle` does; each is also timed counting its own.
 */
export async function breakDownRuns(
  pool: Pool,
  schema: string,
  segments: { cycle: readonly AppliedSegment[]; sample: readonly AppliedSegment[] },
  context: { now: Date; run: CycleRun },
): Promise<RunBreakdown> {
  const parts: RunBreakdown = { segments: segments.sample.length, total: 0, statement: 0, statementAlone: 0, diff: 0 };
  const client = await pool.connect();
  let shared: SharedEventCounts | undefined;
  try {
    shared = await buildSharedEventCounts(client, schema, sharedEventConditions(segments.cycle), context.now);
    for (const segment of segments.sample) {
      const sharedEvents = readsSharedCounts(segment) ? shared : undefined;
      const members = compileSegment(schema, segment.spec.subject, segment.where, context.now, { sharedEvents });
      const alone = compileSegment(schema, segment.spec.subject, segment.where, context.now);
      const name = `$${members.params.length + 1}`;
      const diff = `select count(*) from (${members.text}) n
         full join (select m.subject_id from ${schema}.segment_memberships m where m.segment = ${name}) m on m.subject_id = n.subject_id
         where n.subject_id is null or m.subject_id is null`;
      parts.statement += await timedInBatchSession(client, `select count(*) from (${members.text}) n`, members.params);
      parts.statementAlone += await timedInBatchSession(client, `select count(*) from (${alone.text}) n`, alone.params);
      parts.diff += await timedInBatchSession(client, diff, [...members.params, segment.name]);
      parts.total += context.run.perSegment.get(segment.name) ?? 0;
    }
    return parts;
  } finally {
    if (shared) await dropSharedEventCounts(client, shared);
    client.release();
  }
}

async function timedInBatchSession(client: PoolClient, text: string, params: unknown[]): Promise<number> {
  return withTransaction(client, async () => {
    await client.query("set local time zone 'UTC'");
    await client.query("set local work_mem = '64MB'");
    return (await timed(() => client.query(text, params)))[1];
  });
}

export function describeBreakdown(parts: RunBreakdown): string {
  const share = (seconds: number) => `${((100 * seconds) / parts.total).toFixed(0)}%`;
  const bookkeeping = Math.max(0, parts.total - parts.diff);
  return (
    `sample of ${parts.segments} segments, ${parts.total.toFixed(2)} s in evaluateSegment: ` +
    `member-set statement ${parts.statement.toFixed(2)} s (${share(parts.statement)}; ${parts.statementAlone.toFixed(2)} s when each counts its own events), ` +
    `diff against stored membership +${Math.max(0, parts.diff - parts.statement).toFixed(2)} s (${share(Math.max(0, parts.diff - parts.statement))}), ` +
    `bookkeeping (run rows, membership/history/outbox writes, counts, round trips) ${bookkeeping.toFixed(2)} s (${share(bookkeeping)})`
  );
}

/**
 * Changes about 1% of the data, as a day of ingestion would (`seed` picks which 1%): persons'
 * titles and lead/contact type, accounts' revenue and type, opportunities opened or closed, and new
 * events (1% of the event count) in the last 7 days before `now`.
 */
export async function changeOnePercent(pool: Pool, schema: string, seed: number, now: Date): Promise<void> {
  await pool.query(
    `update ${schema}.persons set job_title = (array['VP Engineering','Director of IT','Analyst','Chief Financial Officer','Engineer'])[1 + (id / 100 + $1::int) % 5],
            person_type = case when person_type = 'lead' then 'contact' else 'lead' end
     where (id * 7 + $1::int) % 100 = 0`,
    [seed],
  );
  await pool.query(
    `update ${schema}.accounts set annual_revenue = ((id * 31 + $1::int) % 1000) * 1000000,
            type = case when type = 'Customer' then 'Prospect' else 'Customer' end
     where (id * 7 + $1::int) % 100 = 0`,
    [seed],
  );
  await pool.query(`update ${schema}.opportunities set is_closed = not is_closed where (id * 7 + $1::int) % 100 = 0`, [
    seed,
  ]);
  await pool.query(
    `insert into ${schema}.events (source_type, source_name, source_object, source_key, type, occurred_at, url, person_id, content_hash, run_id)
     select 'http', 'bench', 'events', 'change-' || $1::int || '-' || i, (array['email.opened','email.clicked','web.visit','form.filled'])[1 + (i * 5) % 4],
            $2::timestamptz - make_interval(secs => (i::bigint * 7919) % 604800),
            case when i % 3 = 0 then '/pricing' end, 1 + (i::bigint * 104729 + $1::int) % (select count(*) from ${schema}.persons), 'bench', 0
     from generate_series(1, (select count(*) / 100 from ${schema}.events)::int) i`,
    [seed, now.toISOString()],
  );
}
