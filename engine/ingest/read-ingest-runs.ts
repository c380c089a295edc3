import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** One ingest run of a source, with its counts (the console's sources page, its overview). */
export interface IngestRunRow {
  runId: number;
  source: string;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  read: number;
  written: number;
  unchanged: number;
  quarantined: number;
  error: string | null;
}

const ISO = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
const RUN_COLUMNS = `run_id::int as "runId", source, trigger, status, ${ISO('started_at')} as "startedAt",
  ${ISO('finished_at')} as "finishedAt", records_read::int as read, records_written::int as written,
  records_unchanged::int as unchanged, records_quarantined::int as quarantined, error`;

/** The newest `limit` runs of every source, newest first. */
export async function readIngestRuns(db: Queryable, sandbox: string, limit: number): Promise<IngestRunRow[]> {
  const { rows } = await db.query<IngestRunRow>(
    `select ${RUN_COLUMNS} from ${sandboxSchema(sandbox)}.ingest_runs order by run_id desc limit $1`,
    [limit],
  );
  return rows;
}

/** The newest run of each source that ran, by source name. */
export async function readLastIngestRuns(db: Queryable, sandbox: string): Promise<IngestRunRow[]> {
  const { rows } = await db.query<IngestRunRow>(
    `select distinct on (source) ${RUN_COLUMNS} from ${sandboxSchema(sandbox)}.ingest_runs order by source, run_id desc`,
  );
  return rows;
}

/** Where each incremental object of each source will read from next. */
export interface WatermarkRow {
  source: string;
  object: string;
  watermark: string;
  runId: number;
  updatedAt: string;
}

export async function readSourceWatermarks(db: Queryable, sandbox: string): Promise<WatermarkRow[]> {
  const { rows } = await db.query<WatermarkRow>(
    `select source, object, watermark, run_id::int as "runId", ${ISO('updated_at')} as "updatedAt"
     from ${sandboxSchema(sandbox)}.source_watermarks order by source, object`,
  );
  return rows;
}
