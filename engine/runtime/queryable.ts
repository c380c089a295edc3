import type { QueryResultRow } from 'pg';

/**
 * The one database seam: anything that runs a parameterised query (a pool, a pooled client inside
 * a transaction). SQL functions take it as their first argument and never reach for a global pool.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}
