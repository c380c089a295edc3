import type { PoolClient } from 'pg';
import { ENTITY_TABLES } from '../runtime/entity-tables';

/** How a profile's attribute is chosen among its records' values. */
export interface AttributeMergeRule {
  /** `sourcePriority`: the first source (by rank) with a value, then the most recent; `mostRecent`: the reverse. */
  policy: 'sourcePriority' | 'mostRecent';
  /** Source name -> rank (0 first). */
  sourceRank: ReadonlyMap<string, number>;
}

/**
 * Upserts one profile per canonical key of `stitch_assign` with its attributes merged from the
 * records assigned to it: per attribute, the first non-empty value by source priority, then most
 * recent update (or the reverse). A new profile is inserted with its attributes (one write, not an
 * insert then an update); an existing one is updated only when something differs. Every record of a
 * profile is in the stitch set (it is closed under "same profile"), so the set is all it reads.
 */
export async function upsertMergedProfiles(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  merge: AttributeMergeRule,
): Promise<void> {
  const records = entity === 'person' ? 'person_records' : 'account_records';
  const profiles = entity === 'person' ? 'persons' : 'accounts';
  const columns = ENTITY_TABLES[entity].columns.map((c) => c.column);
  // Ties broken by source key, not by row id: ids follow arrival order, and an incremental stitch
  // must give the same profile as a full one.
  const byRank = 'coalesce(rank.r, 1000000)';
  const byTime = 'r.updated_at desc nulls last';
  const order = `${merge.policy === 'mostRecent' ? `${byTime}, ${byRank}` : `${byRank}, ${byTime}`}, r.source_name, r.source_object, r.source_key`;
  // One sort of the records (in a subquery) feeds every column's pick, instead of one sort per
  // column: array_agg keeps its input order, and nothing between the sort and the aggregate
  // reorders (grouped on the sort's leading column, in the same collation; no parallel plan).
  const picks = columns.map((c) => `(array_agg(o.${c}) filter (where o.${c} is not null))[1] as ${c}`);
  const differs = `(${columns.map((c) => `p.${c}`).join(', ')}, p.attrs) is distinct from (${columns.map((c) => `excluded.${c}`).join(', ')}, excluded.attrs)`;
  await client.query('set local max_parallel_workers_per_gather = 0');
  // A profile of one record (every profile of a first load, most of any) takes its record's
  // values as they are: no sort, no aggregate.
  await client.query(
    `with rank as (select * from unnest($1::text[], $2::int[]) as x(source, r)),
     merged as (
       select o.canonical_key, ${picks.join(', ')} from (
         select a.canonical_key collate "C" as canonical_key, ${columns.map((c) => `r.${c}`).join(', ')}
         from stitch_assign a join ${schema}.${records} r on r.id = a.record_id left join rank on rank.source = r.source_name
         where not a.alone
         order by 1, ${order}) o
       group by o.canonical_key
     ),
     attrs as (
       select canonical_key, jsonb_object_agg(key, value) as attrs from (
         select distinct on (1, a2.key) a.canonical_key collate "C" as canonical_key, a2.key, a2.value
         from stitch_assign a join ${schema}.${records} r on r.id = a.record_id
           left join rank on rank.source = r.source_name, jsonb_each(r.attrs) a2
         where not a.alone
         order by 1, a2.key, ${order}
       ) v group by canonical_key
     )
     insert into ${schema}.${profiles} as p (canonical_key, ${columns.join(', ')}, attrs, stitched_at)
     select m.canonical_key, ${columns.map((c) => `m.${c}`).join(', ')}, coalesce(a.attrs, '{}'), now()
     from merged m left join attrs a on a.canonical_key = m.canonical_key
     union all
     select a.canonical_key, ${columns.map((c) => `r.${c}`).join(', ')}, r.attrs, now()
     from stitch_assign a join ${schema}.${records} r on r.id = a.record_id where a.alone
     on conflict (canonical_key) do update set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')},
       attrs = excluded.attrs, stitched_at = excluded.stitched_at
     where ${differs}`,
    [[...merge.sourceRank.keys()], [...merge.sourceRank.values()]],
  );
}
