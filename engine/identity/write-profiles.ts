import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type AttributeMergeRule, upsertMergedProfiles } from './merge-profile-attributes';
import { stitchPhases } from './stitch-phases';

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
  await upsertMergedProfiles(client, schema, entity, merge);
  await analyzeIfGrown(client, `${schema}.${profiles}`, canonicalOf);
  phases.mark('upsert profiles');
  await client.query(
    `update ${schema}.${records} r set ${profileColumn} = p.id, needs_stitch = false
     from stitch_assign a join ${schema}.${profiles} p on p.canonical_key = a.canonical_key
     where r.id = a.record_id and (r.${profileColumn} is distinct from p.id or r.needs_stitch)`,
  );
  phases.mark('point records');
  await client.query(
    `delete from ${schema}.${profiles} p using stitch_old_profiles o
     where p.id = o.id and not exists (select 1 from ${schema}.${records} r where r.${profileColumn} = p.id)`,
  );
  phases.mark('delete emptied');
  let profileCount = 0;
  for (let i = 0; i < canonicalOf.length; i++) if (canonicalOf[i] === i) profileCount++;
  return profileCount;
}

/**
 * Analyses the profile table when this stitch wrote more profiles than its statistics say it holds:
 * after a first load, the statistics of the empty table made the planner join every assignment
 * against "one" profile row by row. An incremental stitch of a large table skips it (analysing a
 * million profiles cost half a second of a 1% change).
 */
async function analyzeIfGrown(client: PoolClient, table: string, canonicalOf: Int32Array): Promise<void> {
  let profiles = 0;
  for (let i = 0; i < canonicalOf.length; i++) if (canonicalOf[i] === i) profiles++;
  const { rows } = await client.query<{ n: number }>(
    'select reltuples::float8 as n from pg_class where oid = $1::regclass',
    [table],
  );
  if ((rows[0]?.n ?? -1) < profiles) await client.query(`analyze ${table}`);
}

/**
 * Each record's cluster as numbers (`stitch_records.idx` of the record and of its canonical
 * record) and whether it is alone in it, COPYed in; `stitch_assign` (record id, canonical key,
 * alone) is made from them in one join.
 */
async function copyAssignments(client: PoolClient, canonicalOf: Int32Array): Promise<void> {
  await client.query(
    'create temp table stitch_cluster (idx int not null, canonical_idx int not null, alone boolean not null) on commit drop',
  );
  const size = new Int32Array(canonicalOf.length);
  for (let i = 0; i < canonicalOf.length; i++) size[canonicalOf[i]!]!++;
  const lines: string[] = [];
  for (let i = 0; i < canonicalOf.length; i++)
    lines.push(`${i}\t${canonicalOf[i]}\t${size[canonicalOf[i]!] === 1 ? 't' : 'f'}\n`);
  const stream = client.query(copyFrom('copy stitch_cluster from stdin'));
  await new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(lines.join(''));
  });
  await client.query(
    `create temp table stitch_assign on commit drop as
     select r.record_id, c.key as canonical_key, a.alone from stitch_cluster a
     join stitch_records r on r.idx = a.idx join stitch_records c on c.idx = a.canonical_idx`,
  );
  await client.query('alter table stitch_assign add primary key (record_id)');
  await client.query('analyze stitch_assign');
}
