import type { PoolClient } from 'pg';
import { outboxChannel } from '../runtime/outbox-channel';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { withTransaction } from '../runtime/with-transaction';
import { compileSegment } from './compile-segment';
import type { AppliedSegment } from './read-applied-segments';
import { SegmentEvaluationError } from './segment-evaluation-error';
import type { SharedEventCounts } from './shared-event-counts';

export interface SegmentRunResult {
  segment: string;
  runId: number;
  revision: number;
  mode: 'batch' | 'streaming';
  /** Members after the run (the whole segment, also for a streaming run). */
  size: number;
  entered: number;
  exited: number;
  milliseconds: number;
}

/**
 * Evaluates one segment: the member set computed by one statement, diffed against the current
 * membership, and entries/exits written to the history and to the activation outbox of every
 * destination that activates the segment, with the membership update, in ONE transaction. A crash
 * leaves the previous state whole; a re-run writes each transition once. Given a client in the
 * caller's transaction, the run is a savepoint of it (`withTransaction`): the segment's lock and the
 * run's settings (UTC, work memory) then last until the caller commits, and so does the NOTIFY.
 *
 * With `scope` (streaming), only those subjects are evaluated and can enter or exit: the same
 * statement restricted to them, so streaming and batch agree on the same data and time.
 */
async function evaluateSegmentOnce(
  db: Queryable,
  sandbox: string,
  segment: AppliedSegment,
  now: Date,
  { scope, sharedEvents }: EvaluateOptions,
): Promise<SegmentRunResult> {
  const started = Date.now();
  const s = sandboxSchema(sandbox);
  const mode = scope === undefined ? 'batch' : 'streaming';
  return withTransaction(db, async (client, { nested }): Promise<SegmentRunResult> => {
    // Three statements between begin and commit, whatever the segment: a cycle of 1,000 segments
    // pays a run's fixed cost 1,000 times, and for small segments it is most of the run (decision 55).
    await prepareRun(client, s, segment.name, scope === undefined);
    const { runId, sizeBefore } = await insertRun(client, s, segment, { mode, now });
    const compiled = compileSegment(s, segment.spec.subject, segment.where, now, { scope, sharedEvents });
    const counts = await applyDiff(client, s, segment, {
      runId,
      now,
      scope,
      sizeBefore,
      members: compiled,
      channel: outboxChannel(sandbox),
      ownCommit: !nested,
    });
    return {
      segment: segment.name,
      runId,
      revision: segment.revision,
      mode,
      ...counts,
      milliseconds: Date.now() - started,
    };
  });
}

/**
 * The run's session settings and the segment's lock, in one statement. Dates are stored as UTC
 * calendar days and windows are exact durations: the session's time zone must not move "today", a
 * date's midnight or a `30 days` interval across a DST change. The diff hashes the member set:
 * with the default 4 MB of work memory a broad segment's hash spills to disk in batches, so a batch
 * run gets more (for this transaction only). The lock comes last, and the statements that read
 * the previous run come after this one, so they see what the previous holder committed.
 */
async function prepareRun(client: PoolClient, s: string, segment: string, batch: boolean): Promise<void> {
  await client.query(
    `select set_config('TimeZone', 'UTC', true),
            set_config('work_mem', case when $2 then '64MB' else current_setting('work_mem') end, true),
            pg_advisory_xact_lock(hashtext('roster.segment'), hashtext($1))`,
    [`${s}/${segment}`, batch],
  );
}

/**
 * Records the run and reads the segment's size before it: the previous successful run's size.
 * Membership is only ever written by runs, one at a time under the segment's lock, so this equals
 * counting the members, without reading all of them again on every rerun of a broad segment. The
 * first run counts.
 */
async function insertRun(
  client: PoolClient,
  s: string,
  segment: AppliedSegment,
  run: { mode: 'batch' | 'streaming'; now: Date },
): Promise<{ runId: number; sizeBefore: number }> {
  const { rows } = await client.query<{ runId: string; sizeBefore: number }>(
    `insert into ${s}.segment_runs (segment, revision, mode, evaluated_at) values ($1, $2, $3, $4)
     returning run_id as "runId", coalesce(
       (select size::int from ${s}.segment_runs p where p.segment = $1 and p.status = 'succeeded' order by p.run_id desc limit 1),
       (select count(*)::int from ${s}.segment_memberships where segment = $1)) as "sizeBefore"`,
    [segment.name, segment.revision, run.mode, run.now.toISOString()],
  );
  return { runId: Number(rows[0]!.runId), sizeBefore: rows[0]!.sizeBefore };
}

interface DiffContext {
  runId: number;
  now: Date;
  /** Only these subjects may enter or exit (streaming); undefined: all (batch). */
  scope: readonly number[] | undefined;
  /** Members before this run. */
  sizeBefore: number;
  /** The compiled member set: its statement and bind parameters ($1..$n). */
  members: { text: string; params: unknown[] };
  /** The sandbox's outbox NOTIFY channel (`outboxChannel`). */
  channel: string;
  /**
   * The run commits its own transaction. Inside a caller's transaction (a savepoint) the commit and
   * its durability are the caller's: an unchanged run must not turn the caller's WAL flush off.
   */
  ownCommit: boolean;
}

/** A run of some subjects only, or one reading a cycle's shared event counts. */
export interface EvaluateOptions {
  /** Streaming: only these subjects are evaluated and can enter or exit. */
  scope?: readonly number[];
  /** A cycle's event counts, taken at the same `now` (`evaluateSegmentCycle`, decision 74). */
  sharedEvents?: SharedEventCounts;
}

/**
 * Evaluates one segment (see `evaluateSegmentOnce`); a failure rolls the run back whole, is recorded
 * as a failed run with its reason, and is raised naming the segment.
 */
export async function evaluateSegment(
  db: Queryable,
  sandbox: string,
  segment: AppliedSegment,
  now: Date,
  options: EvaluateOptions = {},
): Promise<SegmentRunResult> {
  const { scope } = options;
  try {
    return await evaluateSegmentOnce(db, sandbox, segment, now, options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await db
      .query(
        `insert into ${sandboxSchema(sandbox)}.segment_runs (segment, revision, mode, evaluated_at, status, finished_at, error) values ($1, $2, $3, $4, 'failed', now(), $5)`,
        [segment.name, segment.revision, scope === undefined ? 'batch' : 'streaming', now.toISOString(), reason],
      )
      .catch(() => undefined); // the database itself may be what failed; the error below still says why
    throw new SegmentEvaluationError(
      `Segment/${segment.name} revision ${segment.revision} could not be evaluated: ${reason}`,
      { cause: error },
    );
  }
}

/**
 * Writes history, membership and outbox for the difference between the compiled member set and the
 * current members, and closes the run with its counts, in one statement.
 */
async function applyDiff(
  client: PoolClient,
  s: string,
  segment: AppliedSegment,
  context: DiffContext,
): Promise<{ size: number; entered: number; exited: number }> {
  // The member set's own parameters come first ($1..$n); the diff's follow them.
  const base = context.members.params.length;
  const $ = (i: number) => `$${base + i}`;
  const inScope = `(${$(6)}::bigint[] is null or m.subject_id = any(${$(6)}::bigint[]))`;
  const params = [
    ...context.members.params,
    segment.name,
    segment.spec.subject,
    context.now.toISOString(),
    segment.revision,
    context.runId,
    context.scope ?? null,
    context.sizeBefore,
    s,
    context.channel,
    context.ownCommit,
  ];
  // One statement: the membership update, the history rows, and an outbox row per destination for
  // each of them. The destinations are read from the registry here, inside the transaction that
  // holds the segment's lock, not from the caller's copy: a destination applied meanwhile is either
  // seen here or finds these members already in the membership when it backfills (under the same
  // lock), never neither. Data-modifying CTEs all read the snapshot taken before any of them writes,
  // so `changes` is the diff against the previous membership, and only changed rows are touched.
  // The diff is ONE hash full join of the new member set with the current members (each side read
  // once); two anti-joins read both sides twice and took 3-4x longer on a 600,000-member segment.
  // The member set comes straight from the compiled statement (no temporary table to write and
  // analyse): the planner sees the real tables' statistics, and each subject comes once because
  // the statement selects a table's primary key. The same statement counts the changes from the
  // history rows it wrote, closes the run, and, when something changed, wakes the delivery workers
  // of `roster run` at commit (NOTIFY is transactional): streaming changes reach destinations
  // without waiting for a poll. When nothing changed, the run's own row is all the transaction
  // wrote: its commit does not wait for the WAL flush (a crash can lose only the record of a run
  // that changed nothing; the next run records its own), which most runs of a steady cycle are.
  const { rows } = await client.query<{ entered: number; exited: number }>(
    `with changes as (
       select coalesce(n.subject_id, m.subject_id) as subject_id,
              case when m.subject_id is null then 'entered' else 'exited' end as change
       from (${context.members.text}) n
       full join (select m.subject_id from ${s}.segment_memberships m where m.segment = ${$(1)} and ${inScope}) m
         on m.subject_id = n.subject_id
       where n.subject_id is null or m.subject_id is null),
     joined as (
       insert into ${s}.segment_memberships (segment, subject_type, subject_id, entered_at, revision, run_id)
       select ${$(1)}::text, ${$(2)}::text, subject_id, ${$(3)}::timestamptz, ${$(4)}::int, ${$(5)}::bigint from changes where change = 'entered'
       on conflict (segment, subject_id) do nothing),
     left_segment as (
       delete from ${s}.segment_memberships m using changes x
       where m.segment = ${$(1)} and m.subject_id = x.subject_id and x.change = 'exited'),
     written as (
       insert into ${s}.segment_membership_history (segment, subject_type, subject_id, change, changed_at, revision, run_id)
       select ${$(1)}::text, ${$(2)}::text, subject_id, change, ${$(3)}::timestamptz, ${$(4)}::int, ${$(5)}::bigint from changes
       returning id, subject_id, change),
     queued as (
       insert into ${s}.activation_outbox (destination, segment, subject_type, subject_id, change, idempotency_key, history_id)
       select d.name, ${$(1)}::text, ${$(2)}::text, w.subject_id, w.change, d.name || ':' || w.id, w.id from written w cross join ${s}.resources d
       where d.kind = 'Destination' and d.document->'spec'->'segments' @> jsonb_build_array(jsonb_build_object('segment', ${$(1)}::text))),
     counts as (
       select count(*) filter (where change = 'entered')::int as entered, count(*) filter (where change = 'exited')::int as exited
       from written),
     finished as (
       update ${s}.segment_runs r set status = 'succeeded', finished_at = now(),
              size = ${$(7)}::bigint + c.entered - c.exited, entered = c.entered, exited = c.exited
       from counts c where r.run_id = ${$(5)}::bigint)
     select c.entered, c.exited,
            case when c.entered + c.exited > 0 then pg_notify(${$(9)}::text, ${$(8)}::text)::text
                 when ${$(10)}::boolean then set_config('synchronous_commit', 'off', true) end as committing
     from counts c`,
    params,
  );
  const { entered, exited } = rows[0]!;
  return { size: context.sizeBefore + entered - exited, entered, exited };
}
