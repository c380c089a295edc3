import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { BadRecord } from './source-record';

/** Counts of one run, as stored in `ingest_runs`. */
export interface IngestCounts {
  read: number;
  written: number;
  unchanged: number;
  quarantined: number;
}

export async function startIngestRun(
  db: Queryable,
  sandbox: string,
  source: string,
  trigger: 'manual' | 'schedule' | 'push' | 'job',
): Promise<number> {
  const { rows } = await db.query<{ runId: string }>(
    `insert into ${sandboxSchema(sandbox)}.ingest_runs (source, trigger) values ($1, $2) returning run_id as "runId"`,
    [source, trigger],
  );
  return Number(rows[0]!.runId);
}

export async function finishIngestRun(
  db: Queryable,
  sandbox: string,
  runId: number,
  outcome: IngestCounts & { status: 'succeeded' | 'failed'; error?: string },
): Promise<void> {
  await db.query(
    `update ${sandboxSchema(sandbox)}.ingest_runs set status = $2, finished_at = now(), records_read = $3, records_written = $4,
       records_unchanged = $5, records_quarantined = $6, error = $7 where run_id = $1`,
    [
      runId,
      outcome.status,
      outcome.read,
      outcome.written,
      outcome.unchanged,
      outcome.quarantined,
      outcome.error ?? null,
    ],
  );
}

/** Watermarks by object, as text (ISO times compare correctly as text). */
export async function readWatermarks(db: Queryable, sandbox: string, source: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ object: string; watermark: string }>(
    `select object, watermark from ${sandboxSchema(sandbox)}.source_watermarks where source = $1`,
    [source],
  );
  return new Map(rows.map((r) => [r.object, r.watermark]));
}

export async function storeWatermark(
  db: Queryable,
  sandbox: string,
  source: string,
  object: string,
  watermark: string,
  runId: number,
): Promise<void> {
  await db.query(
    `insert into ${sandboxSchema(sandbox)}.source_watermarks (source, object, watermark, run_id) values ($1, $2, $3, $4)
     on conflict (source, object) do update set watermark = excluded.watermark, run_id = excluded.run_id, updated_at = now()`,
    [source, object, watermark, runId],
  );
}

/** A quarantined record as stored. */
export interface QuarantinedRecord extends BadRecord {
  object: string;
  runId: number;
}

export async function writeQuarantine(
  db: Queryable,
  sandbox: string,
  source: string,
  records: readonly QuarantinedRecord[],
): Promise<void> {
  if (records.length === 0) return;
  await db.query(
    `insert into ${sandboxSchema(sandbox)}.quarantine (run_id, source, object, origin, line, byte_offset, record_index, field, reason, raw)
     select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::int[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[])`,
    [
      records.map((r) => r.runId),
      records.map(() => source),
      records.map((r) => r.object),
      records.map((r) => r.position.origin),
      records.map((r) => r.position.line ?? null),
      records.map((r) => r.position.offset ?? null),
      records.map((r) => r.position.index),
      records.map((r) => (r.field === undefined ? null : stripNul(r.field))),
      records.map((r) => stripNul(r.reason)),
      records.map((r) => (r.raw === undefined ? null : stripNul(r.raw).slice(0, 2048))),
    ],
  );
}

/** PostgreSQL text cannot hold NUL; a reason that quotes a bad value must not fail the quarantine itself. */
function stripNul(text: string): string {
  return text.split('\u0000').join('\\0');
}
