import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { evaluateSegment, type SegmentRunResult } from './evaluate-segment';
import { readAppliedSegments } from './read-applied-segments';
import { SegmentEvaluationError } from './segment-evaluation-error';

/**
 * Streaming evaluation right after an ingest run commits: every streaming segment (in dependency
 * order) re-evaluated for the persons the run touched (its events' persons, its person records'
 * persons) and only them. Time-based exits are left to the segment's scheduled batch re-check.
 */
export async function evaluateStreamingForRun(
  db: Queryable,
  sandbox: string,
  runId: number,
  now: Date = new Date(),
): Promise<{ results: SegmentRunResult[]; failures: string[] }> {
  const s = sandboxSchema(sandbox);
  const { rows } = await db.query<{ id: string }>(
    `select person_id as id from ${s}.events where run_id = $1 and person_id is not null
     union select person_id from ${s}.person_records where run_id = $1 and person_id is not null`,
    [runId],
  );
  if (rows.length === 0) return { results: [], failures: [] };
  const persons = rows.map((r) => Number(r.id));
  const streaming = (await readAppliedSegments(db, sandbox)).filter(
    (segment) => segment.evaluation.mode === 'streaming',
  );
  const results: SegmentRunResult[] = [];
  const failures: string[] = [];
  for (const segment of streaming) {
    // One segment failing (recorded as a failed run) must not keep the others from streaming.
    await evaluateSegment(db, sandbox, segment, now, { scope: persons }).then(
      (result) => results.push(result),
      (error: unknown) => {
        if (!(error instanceof SegmentEvaluationError)) throw error;
        failures.push(error.message);
      },
    );
  }
  return { results, failures };
}
