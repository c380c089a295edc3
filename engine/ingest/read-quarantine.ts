import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** A record a run set aside: where it was read, which field, why, and (truncated) what it held. */
export interface QuarantinedRecord {
  runId: number;
  object: string;
  origin: string;
  line: number | null;
  recordIndex: number | null;
  field: string | null;
  reason: string;
  raw: string | null;
}

/** One run's quarantine: the first `limit` records in the order they were set aside, and how many in all. */
export interface QuarantinePage {
  /** The run read: the one asked for, else the source's latest; null when the source never ran. */
  runId: number | null;
  total: number;
  records: QuarantinedRecord[];
}

/** The quarantined records of `run`, or of the source's latest run (`roster source errors`). */
export async function readQuarantine(
  db: Queryable,
  sandbox: string,
  request: { source: string; run?: number; limit: number },
): Promise<QuarantinePage> {
  const s = sandboxSchema(sandbox);
  const runId = request.run ?? (await readLatestRunId(db, s, request.source));
  if (runId === null) return { runId: null, total: 0, records: [] };
  const { rows } = await db.query<QuarantinedRecord>(
    `select run_id::int as "runId", object, origin, line, record_index::int as "recordIndex", field, reason, raw
     from ${s}.quarantine where source = $1 and run_id = $2 order by id limit $3`,
    [request.source, runId, request.limit],
  );
  const total = await db.query<{ n: number }>(
    `select count(*)::int as n from ${s}.quarantine where source = $1 and run_id = $2`,
    [request.source, runId],
  );
  return { runId, total: total.rows[0]!.n, records: rows };
}

async function readLatestRunId(db: Queryable, schema: string, source: string): Promise<number | null> {
  const { rows } = await db.query<{ id: string | null }>(
    `select max(run_id) as id from ${schema}.ingest_runs where source = $1`,
    [source],
  );
  return rows[0]?.id === null || rows[0]?.id === undefined ? null : Number(rows[0].id);
}
