import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField } from '../runtime/copy-text';
import { estimatedRows } from '../runtime/estimated-rows';
import type { StitchScope } from './collect-stitch-set';
import { type AttributeMergeRule, upsertMergedProfiles } from './merge-profile-attributes';
import { stitchPhases } from './stitch-phases';

/** The clusters of a stitch: per record number, its record id, its key, and its cluster's canonical record. */
export interface StitchClusters {
  entity: 'person' | 'account';
  scope: StitchScope;
  recordIds: Float64Array;
  keys: readonly string[];
  canonicalOf: Int32Array;
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
  clusters: StitchClusters,
  merge: AttributeMergeRule,
): Promise<number> {
  const { entity, scope } = clusters;
  const records = entity === 'person' ? 'person_records' : 'account_records';
  const profiles = entity === 'person' ? 'persons' : 'accounts';
  const profileColumn = entity === 'person' ? 'person_id' : 'account_id';
  const phases = stitchPhases(`${entity} write`);
  const profileCount = await copyAssignments(client, clusters);
  phases.mark('copy assignments');
  if (scope === 'set')
    await client.query(
      `create temp table stitch_old_profiles on commit drop as
       select distinct r.${profileColumn} as id from stitch_assign a join ${schema}.${records} r on r.id = a.record_id where r.${profileColumn} is not null`,
    );
  await upsertMergedProfiles(client, schema, entity, merge);
  await analyzeIfGrown(client, `${schema}.${profiles}`, profileCount);
  phases.mark('upsert profiles');
  await client.query(
    `update ${schema}.${records} r set ${profileColumn} = p.id, needs_stitch = false
     from stitch_assign a join ${schema}.${profiles} p on p.canonical_key = a.canonical_key
     where r.id = a.record_id and (r.${profileColumn} is distinct from p.id or r.needs_stitch)`,
  );
  phases.mark('point records');
  // Re-clustering every record re-examined every profile: one with no record left goes.
  await client.query(
    scope === 'whole'
      ? `delete from ${schema}.${profiles} p where not exists (select 1 from ${schema}.${records} r where r.${profileColumn} = p.id)`
      : `delete from ${schema}.${profiles} p using stitch_old_profiles o
         where p.id = o.id and not exists (select 1 from ${schema}.${records} r where r.${profileColumn} = p.id)`,
  );
  phases.mark('delete emptied');
  return profileCount;
}

/**
 * Analyses the profile table when this stitch wrote more profiles than its statistics say it holds:
 * after a first load, the statistics of the empty table made the planner join every assignment
 * against "one" profile row by row. An incremental stitch of a large table skips it (analysing a
 * million profiles cost half a second of a 1% change).
 */
async function analyzeIfGrown(client: PoolClient, table: string, profiles: number): Promise<void> {
  if ((await estimatedRows(client, table)) < profiles) await client.query(`analyze ${table}`);
}

/** Lines per COPY write: the assignments of 1.6M records are not built as one string. */
const COPY_CHUNK = 50_000;

/**
 * `stitch_assign` (record id, canonical key, whether the record is alone in its cluster), COPYed
 * in from the clusters as they are: no join back to a numbered table (3.3 s at 1.6M records).
 * Returns the number of clusters (profiles).
 */
async function copyAssignments(client: PoolClient, clusters: StitchClusters): Promise<number> {
  const { recordIds, keys, canonicalOf } = clusters;
  await client.query(
    'create temp table stitch_assign (record_id bigint not null, canonical_key text not null, alone boolean not null) on commit drop',
  );
  const size = new Int32Array(canonicalOf.length);
  for (let i = 0; i < canonicalOf.length; i++) size[canonicalOf[i]!]!++;
  const stream = client.query(copyFrom('copy stitch_assign from stdin'));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let lines: string[] = [];
  for (let i = 0; i < canonicalOf.length; i++) {
    const canonical = canonicalOf[i]!;
    lines.push(`${recordIds[i]}\t${copyField(keys[canonical])}\t${size[canonical] === 1 ? 't' : 'f'}\n`);
    if (lines.length === COPY_CHUNK || i === canonicalOf.length - 1) {
      if (!stream.write(lines.join(''))) await new Promise((resolve) => stream.once('drain', resolve));
      lines = [];
    }
  }
  stream.end();
  await done;
  await client.query('alter table stitch_assign add primary key (record_id)');
  await client.query('analyze stitch_assign');
  let profiles = 0;
  for (let i = 0; i < canonicalOf.length; i++) if (canonicalOf[i] === i) profiles++;
  return profiles;
}
