import type { Queryable } from '../../../runtime/queryable';
import type { ActivationMember, MirrorDrift } from '../../connector';
import type { TableLayout } from './table-layout';

/**
 * Compares the segment's rows with the expected members by person id, in the database (the
 * expected ids are one array parameter, joined as a hash): members without a row are `missing`,
 * rows of persons that are not members are `unexpected` (ids as strings, ascending).
 */
export async function readTableDrift(
  db: Queryable,
  layout: TableLayout,
  segment: string,
  expected: readonly ActivationMember[],
): Promise<MirrorDrift> {
  const ids = expected.map((member) => member.personId);
  const { rows: unexpected } = await db.query<{ personId: string }>(
    `select t.person_id::text as "personId"
       from ${layout.sql} t left join unnest($2::bigint[]) as e(person_id) on e.person_id = t.person_id
      where t.segment = $1 and e.person_id is null
      order by t.person_id`,
    [segment, ids],
  );
  const { rows: missing } = await db.query<{ personId: string }>(
    `select e.person_id::text as "personId"
       from unnest($2::bigint[]) as e(person_id)
      where not exists (select from ${layout.sql} t where t.segment = $1 and t.person_id = e.person_id)`,
    [segment, ids],
  );
  const missingIds = new Set(missing.map((row) => Number(row.personId)));
  return {
    missing: expected.filter((member) => missingIds.has(member.personId)),
    unexpected: unexpected.map((row) => row.personId),
  };
}
