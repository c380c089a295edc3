import { escapeIdentifier } from 'pg';
import type { Queryable } from '../../../runtime/queryable';
import type { ActivationMember } from '../../connector';
import type { TableLayout } from './table-layout';

/** One row of the target table: a member of the segment and the subject that made it one. */
export interface MemberRow {
  subjectType: 'person' | 'account';
  subjectId: number;
  member: ActivationMember;
}

/**
 * Inserts the rows, or updates the subject and fields of rows already there, in one statement
 * (arrays bound as parameters and unnested: one round trip for thousands of rows). A row whose
 * values are unchanged is not touched, so a replayed batch leaves the table exactly as it was,
 * `updated_at` included. Rows of one person are reduced to the last (a person in two entering
 * accounts), since one statement cannot update a row twice; sorted by person so that concurrent
 * batches lock rows in the same order.
 */
export async function upsertMemberRows(
  db: Queryable,
  layout: TableLayout,
  segment: string,
  rows: readonly MemberRow[],
): Promise<void> {
  const unique = [...new Map(rows.map((row) => [row.member.personId, row])).values()].sort(
    (a, b) => a.member.personId - b.member.personId,
  );
  if (unique.length === 0) return;
  const columns = layout.fieldColumns.map((c) => escapeIdentifier(c.column));
  const own = ['subject_type', 'subject_id', ...columns];
  const unnested = layout.fieldColumns.map((_, i) => `f${i}`);
  await db.query(
    `insert into ${layout.sql} as t (segment, person_id, ${own.join(', ')}, updated_at)
     select $1, u.person_id, u.subject_type, u.subject_id${unnested.map((f) => `, u.${f}`).join('')}, now()
       from unnest($2::bigint[], $3::text[], $4::bigint[]${unnested.map((_, i) => `, $${i + 5}::text[]`).join('')})
         as u(person_id, subject_type, subject_id${unnested.map((f) => `, ${f}`).join('')})
     on conflict (segment, person_id) do update
        set ${own.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at
      where (${own.map((c) => `t.${c}`).join(', ')}) is distinct from (${own.map((c) => `excluded.${c}`).join(', ')})`,
    [
      segment,
      unique.map((row) => row.member.personId),
      unique.map((row) => row.subjectType),
      unique.map((row) => row.subjectId),
      ...layout.fieldColumns.map((c) => unique.map((row) => asText(row.member.fields[c.field]))),
    ],
  );
}

/** Field values are stored as text (dates are ISO 8601 already); a missing value is null. */
function asText(value: ActivationMember['fields'][string] | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}
