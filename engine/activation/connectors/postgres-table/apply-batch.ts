import type { Queryable } from '../../../runtime/queryable';
import type { DeliveryBatch } from '../../connector';
import { deleteSubjectRows } from './delete-subject-rows';
import type { TableLayout } from './table-layout';
import { type MemberRow, upsertMemberRows } from './upsert-member-rows';

/** What a batch did to the table. */
export interface AppliedBatch {
  upserted: number;
  deleted: number;
}

/**
 * Applies a batch's changes to the table (run it in one transaction): exits first, then entries, so
 * a person who leaves with one account and enters with another in the same batch stays. Replaying
 * the batch leaves the same rows.
 */
export async function applyBatch(db: Queryable, layout: TableLayout, batch: DeliveryBatch): Promise<AppliedBatch> {
  let deleted = 0;
  for (const subjectType of ['person', 'account'] as const) {
    const subjectIds = batch.changes
      .filter((c) => c.change === 'exited' && c.subjectType === subjectType)
      .map((c) => c.subjectId);
    deleted += await deleteSubjectRows(db, layout, batch.segment, { subjectType, subjectIds });
  }
  const rows: MemberRow[] = batch.changes
    .filter((c) => c.change === 'entered')
    .flatMap((c) => c.members.map((member) => ({ subjectType: c.subjectType, subjectId: c.subjectId, member })));
  await upsertMemberRows(db, layout, batch.segment, rows);
  return { upserted: rows.length, deleted };
}
