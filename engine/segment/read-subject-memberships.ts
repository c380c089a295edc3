import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** A segment a subject is in now, and since when. */
export interface SubjectMembership {
  segment: string;
  subjectType: 'person' | 'account';
  subjectId: number;
  enteredAt: string;
}

/** The current memberships of a person and, when given, of its account (account audiences activate its people). */
export async function readSubjectMemberships(
  db: Queryable,
  sandbox: string,
  subjects: { personId: number; accountId?: number | null },
): Promise<SubjectMembership[]> {
  const { rows } = await db.query<SubjectMembership>(
    `select segment, subject_type as "subjectType", subject_id::int as "subjectId",
       to_char(entered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "enteredAt"
     from ${sandboxSchema(sandbox)}.segment_memberships
     where (subject_type = 'person' and subject_id = $1) or (subject_type = 'account' and subject_id = $2)
     order by segment, subject_type`,
    [subjects.personId, subjects.accountId ?? null],
  );
  return rows;
}
