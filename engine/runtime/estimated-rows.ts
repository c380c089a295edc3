import type { Queryable } from './queryable';

/**
 * The planner's estimate of a table's rows (`pg_class.reltuples`; -1 when never analysed), read
 * without touching the table: for choices a rough size is enough for (a count of a million rows
 * costs more than what it would decide), and to tell whether a table outgrew its statistics.
 * `table` is a schema-qualified name built from known identifiers.
 */
export async function estimatedRows(db: Queryable, table: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'select reltuples::float8 as n from pg_class where oid = $1::regclass',
    [table],
  );
  return rows[0]?.n ?? -1;
}
