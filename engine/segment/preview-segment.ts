import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { compileSegment } from './compile-segment';
import type { ConditionNode } from './condition-ast';

/** What a segment would contain now, compared with its current membership. Nothing is written. */
export interface SegmentPreview {
  sizeBefore: number;
  sizeAfter: number;
  entered: number;
  exited: number;
  /** A few members (after), for a reviewer to recognise. */
  sample: { subjectId: number; label: string | null }[];
}

/**
 * Evaluates a segment definition (applied or only in files) against current data, read-only: one
 * query compares its member set with the segment's current membership. Used by `roster segment
 * preview` and for the data impact in `roster plan`.
 */
export async function previewSegment(
  db: Queryable,
  sandbox: string,
  spec: { name: string; subject: 'person' | 'account'; where: ConditionNode },
  now: Date,
  sampleSize = 5,
): Promise<SegmentPreview> {
  const s = sandboxSchema(sandbox);
  const compiled = compileSegment(s, spec.subject, spec.where, now);
  const name = `$${compiled.params.length + 1}`;
  const limit = `$${compiled.params.length + 2}`;
  const label =
    spec.subject === 'person'
      ? `(select email from ${s}.persons where id = n.subject_id)`
      : `(select name from ${s}.accounts where id = n.subject_id)`;
  const { rows } = await db.query<{
    sizeBefore: number;
    sizeAfter: number;
    entered: number;
    exited: number;
    sample: SegmentPreview['sample'] | null;
  }>(
    `with after as (select distinct subject_id from (${compiled.text}) q),
     before as (select subject_id from ${s}.segment_memberships where segment = ${name})
     select (select count(*)::int from before) as "sizeBefore", (select count(*)::int from after) as "sizeAfter",
       (select count(*)::int from after a where not exists (select 1 from before b where b.subject_id = a.subject_id)) as entered,
       (select count(*)::int from before b where not exists (select 1 from after a where a.subject_id = b.subject_id)) as exited,
       (select json_agg(json_build_object('subjectId', n.subject_id, 'label', ${label}))
        from (select subject_id from after order by subject_id limit ${limit}) n) as sample`,
    [...compiled.params, spec.name, sampleSize],
  );
  const row = rows[0]!;
  return {
    sizeBefore: row.sizeBefore,
    sizeAfter: row.sizeAfter,
    entered: row.entered,
    exited: row.exited,
    sample: row.sample ?? [],
  };
}
