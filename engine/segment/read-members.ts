import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** A member as listed: its id and the identifying attributes of the person or account. */
export interface MemberRow {
  subjectId: number;
  enteredAt: string;
  label: string | null;
  detail: string | null;
}

/**
 * One page of a segment's members, ordered by subject id. With `asOf`, the membership at that time,
 * rebuilt from the history (members whose last change before it was an entry). With `search`, only
 * members whose email, name, account name or domain contains it (case-insensitive); the total is
 * then the number of those.
 */
export async function readMembers(
  db: Queryable,
  sandbox: string,
  segment: string,
  page: { limit: number; offset: number; asOf?: Date; search?: string },
): Promise<{ total: number; members: MemberRow[] }> {
  const s = sandboxSchema(sandbox);
  const source = page.asOf
    ? `(select * from (select distinct on (subject_id) subject_id, subject_type, changed_at as entered_at, change from ${s}.segment_membership_history
        where segment = $1 and changed_at <= $4 order by subject_id, changed_at desc, id desc) last_change where change = 'entered')`
    : `(select subject_id, subject_type, entered_at from ${s}.segment_memberships where segment = $1)`;
  const params: unknown[] = [segment, page.limit, page.offset, ...(page.asOf ? [page.asOf.toISOString()] : [])];
  const filtered = page.search
    ? `(select * from ${source} m where ${searchCondition(s, params.push(likePattern(page.search)))})`
    : source;
  // The total is counted over the whole member set, not read from the page's rows: a page past the
  // end has no rows but the segment still has its members.
  const { rows } = await db.query<{ total: number; members: MemberRow[] }>(
    `with h as ${filtered},
     page as (
       select h.subject_id::int as "subjectId", to_char(h.entered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "enteredAt",
         coalesce(p.email, a.name) as label, coalesce(nullif(concat_ws(' ', p.first_name, p.last_name), ''), a.domain) as detail
       from h
       left join ${s}.persons p on h.subject_type = 'person' and p.id = h.subject_id
       left join ${s}.accounts a on h.subject_type = 'account' and a.id = h.subject_id
       order by h.subject_id limit $2 offset $3)
     select (select count(*)::int from h) as total,
            coalesce((select json_agg(page order by "subjectId") from page), '[]'::json) as members`,
    params,
  );
  return { total: rows[0]?.total ?? 0, members: rows[0]?.members ?? [] };
}

/** Members whose person (email, name) or account (name, domain) contains parameter `$n`'s pattern. */
function searchCondition(s: string, n: number): string {
  return `(m.subject_type = 'person' and exists (select 1 from ${s}.persons p where p.id = m.subject_id
      and (p.email ilike $${n} or concat_ws(' ', p.first_name, p.last_name) ilike $${n})))
    or (m.subject_type = 'account' and exists (select 1 from ${s}.accounts a where a.id = m.subject_id
      and (a.name ilike $${n} or a.domain ilike $${n})))`;
}

/** `text` as an ILIKE pattern that matches it anywhere, its own `%`, `_` and `\\` taken literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
