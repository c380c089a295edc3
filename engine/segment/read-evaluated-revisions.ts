import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** The latest revision of each segment with a succeeded run: what has been evaluated since it was applied. */
export async function readEvaluatedRevisions(db: Queryable, sandbox: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ segment: string; revision: number }>(
    `select segment, max(revision)::int as revision from ${sandboxSchema(sandbox)}.segment_runs
     where status = 'succeeded' group by segment`,
  );
  return new Map(rows.map((r) => [r.segment, r.revision]));
}
