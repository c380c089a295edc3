import type { Queryable } from '../../../runtime/queryable';
import type { ActivationMember, MirrorDrift } from '../../connector';
import { deletePersonRows } from './delete-subject-rows';
import type { TableLayout } from './table-layout';
import { type MemberRow, upsertMemberRows } from './upsert-member-rows';

/**
 * A member as a mirror check may pass it: `ActivationMember` carries no subject, so a worker that
 * knows it (an account audience) may add `subjectType` and `subjectId`; otherwise the row is
 * written as the person's own (`subject_type` person, `subject_id` the person id).
 */
type MirroredMember = ActivationMember & { subjectType?: 'person' | 'account'; subjectId?: number };

/** Makes the segment's rows equal to the members (run it in one transaction): inserts the missing, deletes the unexpected. */
export async function repairTableDrift(
  db: Queryable,
  layout: TableLayout,
  segment: string,
  drift: MirrorDrift,
): Promise<void> {
  await deletePersonRows(db, layout, segment, drift.unexpected);
  const rows: MemberRow[] = drift.missing.map((member: MirroredMember) => ({
    subjectType: member.subjectType ?? 'person',
    subjectId: member.subjectId ?? member.personId,
    member,
  }));
  await upsertMemberRows(db, layout, segment, rows);
}
