import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ENTITY_TABLES } from '../ingest/entity-tables';
import { stitchPhases } from './stitch-phases';

/** How a profile's attribute is chosen among its records' values. */
export interface AttributeMergeRule {
  /** `sourcePriority`: the first source (by rank) with a value, then the most recent; `mostRecent`: the reverse. */
  policy: 'sourcePriority' | 'mostRecent';
  /** Source name -> rank (0 first). */
  sourceRank: ReadonlyMap<string, number>;
}

/**
 * Writes the clusters of the stitch set: one profile per canonical key (kept when it already
 * exists, so unchanged profiles keep their ids), records pointed at their profile, profiles left
 * without records removed, and every touched profile's attributes merged from its records: per
 * attribute, the first non-empty value by source priority, then most recent update.
 */
export async function writeProfiles(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  canonicalOf: Int32Array,
  merge: AttributeMergeRule,
): Promise<number> {
  const records = entity === 'person' ? 'person_records' : 'account_records';
  const profiles = entity === 'person' ? 'persons' : 'accounts';
  const profileColumn = entity === 'person' ? 'person_id' : 'account_id';
  const phases = stitchPhases(`${entity} write`);
  await copyAssignments(client, canonicalOf);
  phases.mark('copy assignments');
  await client.query(
    `create temp table stitch_old_profiles on commit drop as
     select distinct r.${profileColumn} as id from stitch_assign a join ${schema}.${records} r on r.id = a.record_id where r.${profileColumn} is not null`,
  );
  await client.query(
    `insert into ${schema}.${profiles} (canonical_key) select distinct canonical_key from stitch_assign on conflict (canonical_key) do nothing`,
  );
  phases.mark('old profiles, insert profiles');
  await client.query(
    `update ${schema}.${records} r set ${profileColumn} = p.id, needs_stitch = false
     from stitch_assign a join ${schema}.${profiles} p on p.canonical_key = a.canonical_key
     where r.id = a.record_id and (r.${profileColumn} is distinct from p.id or r.needs_stitch)`,
  );
  await client.query(
    `delete from ${schema}.${profiles} p using stitch_old_profiles o
     where p.id = o.id and not exists (select 1 from ${schema}.${records} r where r.${profileColumn} = p.id)`,
  );
  const touched = await client.query(
    `create temp table stitch_profiles on commit drop as
     select distinct p.id from stitch_assign a join ${schema}.${profiles} p on p.canonical_key = a.canonical_key`,
  );
  await client.query('analyze stitch_profiles');
  phases.mark('point records, delete emptied');
  await mergeAttributes(client, schema, entity, merge);
  phases.mark('merge attributes');
  return touched.rowCount ?? 0;
}

/**
 * Each record's cluster as numbers (`stitch_records.idx` of the record and of its canonical
 * record), COPYed in; `stitch_assign` (record id, canonical key) is made from them in one join.
 */
async function copyAssignments(client: PoolClient, canonicalOf: Int32Array): Promise<void> {
  await client.query('create temp table stitch_cluster (idx int not null, canonical_idx int not null) on commit drop');
  const lines: string[] = [];
  for (let i = 0; i < canonicalOf.length; i++) lines.push(`${i}\t${canonicalOf[i]}\n`);
  const stream = client.query(copyFrom('copy stitch_cluster from stdin'));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(lines.join(''));
  });
  await client.query(
    `create temp table stitch_assign on commit drop as
     select r.record_id, c.key as canonical_key from stitch_cluster a
     join stitch_records r on r.idx = a.idx join stitch_records c on c.idx = a.canonical_idx`,
  );
  await client.query('alter table stitch_assign add primary key (record_id)');
  await client.query('analyze stitch_assign');
}

async function mergeAttributes(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  merge: AttributeMergeRule,
): Promise<void> {
  const records = entity === 'person' ? 'person_records' : 'account_records';
  const profiles = entity === 'person' ? 'persons' : 'accounts';
  const profileColumn = entity === 'person' ? 'person_id' : 'account_id';
  const columns = ENTITY_TABLES[entity].columns.map((c) => c.column);
  // Ties broken by source key, not by row id: ids follow arrival order, and an incremental stitch
  // must give the same profile as a full one.
  const byRank = 'coalesce(rank.r, 1000000)';
  const byTime = 'r.updated_at desc nulls last';
  const order = `${merge.policy === 'mostRecent' ? `${byTime}, ${byRank}` : `${byRank}, ${byTime}`}, r.source_name, r.source_object, r.source_key`;
  // One sort of the profiles' records (in a subquery) feeds every column's pick, instead of one
  // sort per column: array_agg keeps its input order, and nothing between the sort and the
  // aggregate reorders (no parallel plan: set below).
  const picks = columns.map((c) => `(array_agg(o.${c}) filter (where o.${c} is not null))[1] as ${c}`);
  await client.query('set local max_parallel_workers_per_gather = 0');
  await client.query(
    `with rank as (select * from unnest($1::text[], $2::int[]) as x(source, r)),
     merged as (
       select o.id, ${picks.join(', ')} from (
         select r.${profileColumn} as id, ${columns.map((c) => `r.${c}`).join(', ')}
         from ${schema}.${records} r left join rank on rank.source = r.source_name
         where r.${profileColumn} in (select id from stitch_profiles)
         order by r.${profileColumn}, ${order}) o
       group by o.id
     ),
     attrs as (
       select id, coalesce(jsonb_object_agg(key, value), '{}') as attrs from (
         select distinct on (r.${profileColumn}, a.key) r.${profileColumn} as id, a.key, a.value
         from ${schema}.${records} r left join rank on rank.source = r.source_name, jsonb_each(r.attrs) a
         where r.${profileColumn} in (select id from stitch_profiles)
         order by r.${profileColumn}, a.key, ${order}
       ) v group by id
     )
     update ${schema}.${profiles} p set ${columns.map((c) => `${c} = m.${c}`).join(', ')}, attrs = coalesce(a.attrs, '{}'), stitched_at = now()
     from merged m left join attrs a on a.id = m.id where p.id = m.id`,
    [[...merge.sourceRank.keys()], [...merge.sourceRank.values()]],
  );
}
