import type { Pool, PoolClient } from 'pg';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { withTransaction } from '../runtime/with-transaction';
import { compileSegment } from './compile-segment';
import type { AppliedSegment } from './read-applied-segments';

export interface SegmentRunResult {
  segment: string;
  runId: number;
  revision: number;
  size: number;
  entered: number;
  exited: number;
  milliseconds: number;
}

/**
 * Batch evaluation of one segment: the member set computed by one statement, diffed against the
 * current membership, and entries/exits written to the history and to the activation outbox of
 * every destination that activates the segment, with the membership update, in ONE transaction.
 * A crash leaves the previous state whole; a re-run writes each transition once.
 */
export async function evaluateSegment(
  pool: Pool,
  sandbox: string,
  segment: AppliedSegment,
  now: Date,
): Promise<SegmentRunResult> {
  const started = Date.now();
  const s = sandboxSchema(sandbox);
  return withTransaction(pool, async (client) => {
    await client.query("select pg_advisory_xact_lock(hashtext('roster.segment'), hashtext($1))", [
      `${s}/${segment.name}`,
    ]);
    const { rows } = await client.query<{ runId: string }>(
      `insert into ${s}.segment_runs (segment, revision, mode, evaluated_at) values ($1, $2, 'batch', $3) returning run_id as "runId"`,
      [segment.name, segment.revision, now.toISOString()],
    );
    const runId = Number(rows[0]!.runId);
    const compiled = compileSegment(s, segment.spec.subject, segment.where, now);
    // CREATE TABLE AS cannot take bind parameters; INSERT ... SELECT can.
    await client.query('create temp table segment_new (subject_id bigint not null) on commit drop');
    await client.query(`insert into segment_new ${compiled.text}`, compiled.params);
    const counts = await applyDiff(client, s, segment, runId, now);
    await client.query(
      `update ${s}.segment_runs set status = 'succeeded', finished_at = now(), size = $2, entered = $3, exited = $4 where run_id = $1`,
      [runId, counts.size, counts.entered, counts.exited],
    );
    await client.query('drop table segment_new');
    return { segment: segment.name, runId, revision: segment.revision, ...counts, milliseconds: Date.now() - started };
  });
}

/** Writes history, membership and outbox for the difference between `segment_new` and the current members. */
export async function applyDiff(
  client: PoolClient,
  s: string,
  segment: AppliedSegment,
  runId: number,
  now: Date,
): Promise<{ size: number; entered: number; exited: number }> {
  const params = [segment.name, segment.spec.subject, now.toISOString(), segment.revision, runId];
  // One statement: the history rows, and an outbox row per destination for each of them (a
  // data-modifying CTE runs whole even when no destination activates the segment).
  await client.query(
    `with new_members as (select distinct subject_id from segment_new),
     entered as (select n.subject_id from new_members n where not exists (select 1 from ${s}.segment_memberships m where m.segment = $1 and m.subject_id = n.subject_id)),
     exited as (select m.subject_id from ${s}.segment_memberships m where m.segment = $1 and not exists (select 1 from new_members n where n.subject_id = m.subject_id)),
     written as (
       insert into ${s}.segment_membership_history (segment, subject_type, subject_id, change, changed_at, revision, run_id)
       select $1::text, $2::text, subject_id, 'entered', $3::timestamptz, $4::int, $5::bigint from entered
       union all select $1::text, $2::text, subject_id, 'exited', $3::timestamptz, $4::int, $5::bigint from exited
       returning id, subject_id, change)
     insert into ${s}.activation_outbox (destination, segment, subject_type, subject_id, change, idempotency_key, history_id)
     select d.destination, $1::text, $2::text, w.subject_id, w.change, d.destination || ':' || w.id, w.id from written w cross join unnest($6::text[]) as d(destination)`,
    [...params, segment.destinations],
  );
  const { rows: changes } = await client.query<{ change: string; n: number }>(
    `select change, count(*)::int as n from ${s}.segment_membership_history where run_id = $1 and segment = $2 group by change`,
    [runId, segment.name],
  );
  await client.query(
    `delete from ${s}.segment_memberships m where m.segment = $1 and not exists (select 1 from segment_new n where n.subject_id = m.subject_id)`,
    [segment.name],
  );
  await client.query(
    `insert into ${s}.segment_memberships (segment, subject_type, subject_id, entered_at, revision, run_id)
     select distinct $1::text, $2::text, subject_id, $3::timestamptz, $4::int, $5::bigint from segment_new on conflict (segment, subject_id) do nothing`,
    params,
  );
  const { rows: size } = await client.query<{ n: number }>(
    'select count(distinct subject_id)::int as n from segment_new',
  );
  const count = (change: string) => changes.find((c) => c.change === change)?.n ?? 0;
  return { size: size[0]!.n, entered: count('entered'), exited: count('exited') };
}
