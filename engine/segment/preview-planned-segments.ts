import type { AccountActivation } from '../../schemas/generated/resource-types';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { compilePlannedSegments } from './compile-segment';
import type { ConditionNode } from './condition-ast';
import { countActivatedPersons } from './count-activated-persons';
import { segmentReferences } from './read-applied-segments';
import type { SqlBuilder } from './sql-builder';

/** A segment as the files define it, for a plan's data impact. */
export interface PlannedSegment {
  name: string;
  subject: 'person' | 'account';
  where: ConditionNode;
  activate?: AccountActivation;
}

/** A member a reviewer can recognise: its id and email (persons) or name (accounts). */
export interface MemberSample {
  subjectId: number;
  label: string | null;
}

/** What a planned segment would contain on current data, compared with its current membership. */
export interface PlannedSegmentPreview {
  segment: string;
  subject: 'person' | 'account';
  sizeBefore: number;
  sizeAfter: number;
  entered: number;
  exited: number;
  /** A few entering and exiting members, lowest ids first. */
  enteringSample: MemberSample[];
  exitingSample: MemberSample[];
  /** Account audiences: the persons the member accounts activate now and after, and those of entering and exiting accounts. */
  persons?: { before: number; after: number; entering: number; exiting: number };
}

/**
 * Previews segments in dependency order, read-only: each is evaluated as the files define it, and a
 * segment that references an earlier one (`inSegment`) reads that one's planned members, so a
 * change shows in the segments of segments built on it. One `select` per segment, no temporary
 * tables (a SELECT-only role can run it).
 */
export async function previewPlannedSegments(
  db: Queryable,
  sandbox: string,
  segments: readonly PlannedSegment[],
  now: Date,
  sampleSize = 5,
): Promise<PlannedSegmentPreview[]> {
  const s = sandboxSchema(sandbox);
  const previews: PlannedSegmentPreview[] = [];
  for (const segment of segments) {
    const needed = plannedDependencies(segment, segments);
    const statement = compilePlannedSegments(s, needed, now);
    const text = previewStatement(s, segment, `planned_${needed.length - 1}`, statement.sql, sampleSize);
    const { rows } = await db.query<Omit<PlannedSegmentPreview, 'segment' | 'subject'>>(
      `with ${statement.ctes}, ${text}`,
      statement.sql.params,
    );
    const row = rows[0]!;
    previews.push({
      segment: segment.name,
      subject: segment.subject,
      ...row,
      enteringSample: row.enteringSample ?? [],
      exitingSample: row.exitingSample ?? [],
      ...(row.persons ? { persons: row.persons } : {}),
    });
  }
  return previews;
}

/**
 * `segment` and the planned segments it reads, directly or through others, in the order given
 * (dependencies first, `segment` last): the CTEs its statement needs, and no others.
 */
function plannedDependencies(segment: PlannedSegment, segments: readonly PlannedSegment[]): PlannedSegment[] {
  const byName = new Map(segments.map((s) => [s.name, s]));
  const needed = new Set<string>([segment.name]);
  const queue = [segment];
  while (queue.length > 0) {
    for (const name of segmentReferences(queue.pop()!.where)) {
      const planned = byName.get(name);
      if (planned && !needed.has(name)) {
        needed.add(name);
        queue.push(planned);
      }
    }
  }
  return [...segments.filter((s) => s !== segment && needed.has(s.name)), segment];
}

/** The tail of the statement: before, after, entering and exiting, their counts and samples. */
function previewStatement(
  s: string,
  segment: PlannedSegment,
  planned: string,
  sql: SqlBuilder,
  sampleSize: number,
): string {
  const name = sql.param(segment.name);
  const limit = sql.param(sampleSize, 'int');
  const label = (alias: string) =>
    segment.subject === 'person'
      ? `(select email from ${s}.persons where id = ${alias}.subject_id)`
      : `(select name from ${s}.accounts where id = ${alias}.subject_id)`;
  const sample = (set: string) =>
    `(select json_agg(json_build_object('subjectId', n.subject_id, 'label', ${label('n')}) order by n.subject_id)
      from (select subject_id from ${set} order by subject_id limit ${limit}) n)`;
  const persons =
    segment.subject === 'account'
      ? `json_build_object(${['before', 'after', 'entering', 'exiting']
          .map((set) => `'${set}', ${countActivatedPersons(s, set, segment.activate, sql)}`)
          .join(', ')})`
      : 'null';
  return `before as (select subject_id from ${s}.segment_memberships where segment = ${name}),
    after as (select subject_id from ${planned}),
    entering as (select subject_id from after a where not exists (select 1 from before b where b.subject_id = a.subject_id)),
    exiting as (select subject_id from before b where not exists (select 1 from after a where a.subject_id = b.subject_id))
    select (select count(*)::int from before) as "sizeBefore", (select count(*)::int from after) as "sizeAfter",
      (select count(*)::int from entering) as entered, (select count(*)::int from exiting) as exited,
      ${sample('entering')} as "enteringSample", ${sample('exiting')} as "exitingSample", ${persons} as persons`;
}
