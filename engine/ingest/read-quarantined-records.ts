import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { QuarantinedRecord } from './read-quarantine';

/** A quarantined record as `roster source errors` reads it, with its source and without its raw text. */
export type SourceQuarantinedRecord = Omit<QuarantinedRecord, 'raw'> & { source: string };

/**
 * The quarantined records of each source's newest run that has any, newest run first, at most
 * `limit` per source, with the total per source (so a page can say "first 20 of 312").
 */
export async function readQuarantinedRecords(
  db: Queryable,
  sandbox: string,
  limit: number,
): Promise<{ records: SourceQuarantinedRecord[]; totals: Record<string, number> }> {
  const s = sandboxSchema(sandbox);
  const { rows } = await db.query<SourceQuarantinedRecord & { total: number }>(
    `with latest as (select source, max(run_id) as run_id from ${s}.quarantine group by source),
     numbered as (
       select q.*, row_number() over (partition by q.source order by q.id) as n, count(*) over (partition by q.source) as total
       from ${s}.quarantine q join latest l on l.source = q.source and l.run_id = q.run_id)
     select run_id::int as "runId", source, object, origin, line, record_index::int as "recordIndex", field, reason, total::int
     from numbered where n <= $1 order by source, n`,
    [limit],
  );
  const totals: Record<string, number> = {};
  for (const row of rows) totals[row.source] = row.total;
  return { records: rows.map(({ total: _total, ...record }) => record), totals };
}
