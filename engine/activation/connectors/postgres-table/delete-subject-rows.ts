import type { Queryable } from '../../../runtime/queryable';
import type { TableLayout } from './table-layout';

/** Subjects of one type that left the segment. */
export interface ExitedSubjects {
  subjectType: 'person' | 'account';
  subjectIds: number[];
}

/**
 * Deletes the rows the exited subjects wrote: a person's row, or every row of an account's
 * persons (found by `subject_id`, so persons that have since left the account go too).
 */
export async function deleteSubjectRows(
  db: Queryable,
  layout: TableLayout,
  segment: string,
  exited: ExitedSubjects,
): Promise<number> {
  if (exited.subjectIds.length === 0) return 0;
  const { rowCount } = await db.query(
    `delete from ${layout.sql} where segment = $1 and subject_type = $2 and subject_id = any($3::bigint[])`,
    [segment, exited.subjectType, exited.subjectIds],
  );
  return rowCount ?? 0;
}

/** Deletes the rows of these persons (ids as strings, as read back from the table). */
export async function deletePersonRows(
  db: Queryable,
  layout: TableLayout,
  segment: string,
  personIds: readonly string[],
): Promise<number> {
  if (personIds.length === 0) return 0;
  const { rowCount } = await db.query(
    `delete from ${layout.sql} where segment = $1 and person_id = any($2::bigint[])`,
    [segment, personIds],
  );
  return rowCount ?? 0;
}
