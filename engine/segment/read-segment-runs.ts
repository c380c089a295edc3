import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { EvaluationMode } from './resolve-evaluation-mode';

/** One successful evaluation of a segment: its size after the run, and who entered and exited. */
export interface SegmentRun {
  runId: number;
  evaluatedAt: string;
  revision: number;
  mode: EvaluationMode;
  size: number;
  entered: number;
  exited: number;
}

const RUN_COLUMNS = `run_id::int as "runId", to_char(evaluated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "evaluatedAt",
  revision, mode, size::int, entered::int, exited::int`;

/** The segment's successful runs, newest first (`roster segment sizes`, `GET /v1/segments/<name>/runs`). */
export async function readSegmentRuns(
  db: Queryable,
  sandbox: string,
  segment: string,
  limit: number,
): Promise<SegmentRun[]> {
  const { rows } = await db.query<SegmentRun>(
    `select ${RUN_COLUMNS} from ${sandboxSchema(sandbox)}.segment_runs
     where segment = $1 and status = 'succeeded' order by run_id desc limit $2`,
    [segment, limit],
  );
  return rows;
}

/** The newest successful run of each of `segments`; a segment never evaluated has no entry. */
export async function readLastSegmentRuns(
  db: Queryable,
  sandbox: string,
  segments: readonly string[],
): Promise<Map<string, SegmentRun>> {
  const { rows } = await db.query<SegmentRun & { segment: string }>(
    `select distinct on (segment) segment, ${RUN_COLUMNS} from ${sandboxSchema(sandbox)}.segment_runs
     where segment = any($1) and status = 'succeeded' order by segment, run_id desc`,
    [segments],
  );
  return new Map(rows.map(({ segment, ...run }) => [segment, run]));
}

/** Entries and exits of every streaming run since `since`, summed over segments (`roster demo`). */
export async function sumStreamingChanges(
  db: Queryable,
  sandbox: string,
  since: Date,
): Promise<{ entered: number; exited: number }> {
  const { rows } = await db.query<{ entered: number; exited: number }>(
    `select coalesce(sum(entered), 0)::int as entered, coalesce(sum(exited), 0)::int as exited
     from ${sandboxSchema(sandbox)}.segment_runs where mode = 'streaming' and evaluated_at >= $1`,
    [since.toISOString()],
  );
  return rows[0]!;
}
