import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/**
 * Whether records wait for a stitch: flagged `needs_stitch` (written by a run that died before it
 * stitched them) or profiles marked dirty. Served by the partial `*_needs_stitch` indexes.
 */
export async function hasPendingStitch(db: Queryable, sandbox: string): Promise<boolean> {
  const schema = sandboxSchema(sandbox);
  const { rows } = await db.query<{ pending: boolean }>(
    `select exists (select 1 from ${schema}.person_records where needs_stitch)
         or exists (select 1 from ${schema}.account_records where needs_stitch)
         or exists (select 1 from ${schema}.stitch_dirty) as pending`,
  );
  return rows[0]?.pending ?? false;
}
