import type { Pool, PoolClient } from 'pg';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { buildSharedEventCounts, dropSharedEventCounts } from './build-shared-event-counts';
import { evaluateSegment, type SegmentRunResult } from './evaluate-segment';
import type { AppliedSegment } from './read-applied-segments';
import { SegmentEvaluationError } from './segment-evaluation-error';
import { readsSharedCounts, type SharedEventCounts, sharedEventConditions } from './shared-event-counts';

/** What a cycle did besides its runs: how many event conditions shared one scan of the events. */
export interface SegmentCycle {
  /** Event conditions (occurrences in the batch segments) that read the shared counts. */
  sharedConditions: number;
  /** Distinct conditions counted, one column each. */
  sharedColumns: number;
  /** Time spent counting them, before the first run. */
  sharingMilliseconds: number;
  /** Why the counts could not be shared (every segment then counted its own events), if so. */
  sharingError?: string;
}

export interface CycleHandlers {
  onResult?: (result: SegmentRunResult) => void;
  /** A segment that failed (recorded as a failed run); the cycle goes on with the others unless this says 'stop'. */
  onFailure?: (error: SegmentEvaluationError, segment: AppliedSegment) => 'stop' | undefined;
}

/**
 * Evaluates `segments` in the order given (dependency order), all at one evaluation time `now`, as
 * one cycle, each run in its own transaction as `evaluateSegment` makes it. The event conditions of
 * the batch segments are counted first in one scan of the events (decision 74), and each of those
 * segments reads its counts from there: a cycle of N segments no longer reads the events N times.
 * Streaming segments count their own events (`readsSharedCounts`).
 */
export async function evaluateSegmentCycle(
  pool: Pool,
  sandbox: string,
  segments: readonly AppliedSegment[],
  now: Date,
  handlers: CycleHandlers = {},
): Promise<SegmentCycle> {
  const conditions = sharedEventConditions(segments);
  let client = await pool.connect();
  let released = false;
  let broken: Error | undefined;
  let shared: SharedEventCounts | undefined;
  const cycle: SegmentCycle = { sharedConditions: 0, sharedColumns: 0, sharingMilliseconds: 0 };
  try {
    // One condition has nothing to share with.
    if (conditions.length >= 2) {
      const started = Date.now();
      try {
        shared = await buildSharedEventCounts(client, sandboxSchema(sandbox), conditions, now);
        cycle.sharedConditions = conditions.length;
        cycle.sharedColumns = shared.columns.size;
      } catch (error) {
        // Whatever made the combined count fail (a condition PostgreSQL rejects on some row) then
        // fails only its own segments' runs below, each recorded with its reason.
        cycle.sharingError = error instanceof Error ? error.message : String(error);
      }
      cycle.sharingMilliseconds = Date.now() - started;
    }
    for (const segment of segments) {
      const sharedEvents = readsSharedCounts(segment) ? shared : undefined;
      let result: SegmentRunResult;
      try {
        result = await evaluateSegment(client, sandbox, segment, now, { sharedEvents });
      } catch (error) {
        if (!(error instanceof SegmentEvaluationError)) throw error;
        if (handlers.onFailure?.(error, segment) === 'stop') break;
        // A connection lost mid-cycle would fail every run after it, where separate runs would
        // each have taken a pooled connection: the rest go on a new one, counting their own
        // events (the shared counts were the lost session's).
        if (!(await usable(client))) {
          client.release(error);
          released = true;
          shared = undefined;
          client = await pool.connect();
          released = false;
        }
        continue;
      }
      handlers.onResult?.(result);
    }
    return cycle;
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    if (shared && !broken) await dropSharedEventCounts(client, shared).catch(() => undefined);
    // A client that failed outside a run may be unusable: the pool discards it (and its tables).
    if (!released) client.release(broken);
  }
}

/** Whether the connection still answers (a run's failure may have been the connection's). */
async function usable(client: PoolClient): Promise<boolean> {
  return client.query('select 1').then(
    () => true,
    () => false,
  );
}
