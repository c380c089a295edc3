import type { PoolClient } from 'pg';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { withTransaction } from '../runtime/with-transaction';
import { clusterGraph } from './cluster-graph';
import { collectStitchSet } from './collect-stitch-set';
import { loadStitchGraph } from './load-stitch-graph';
import { identityRules } from './normalize-identity';
import { resolveLinks } from './resolve-links';
import { stitchPhases } from './stitch-phases';
import type { NamespaceRule, StitchConflict } from './stitch-rule-types';
import type { StitchSettings } from './stitch-settings';
import { writeProfiles } from './write-profiles';

export interface StitchResult {
  entity: 'person' | 'account';
  /** Records re-examined (changed ones and everything connected to them). */
  records: number;
  profiles: number;
  conflicts: number;
}

/**
 * Incremental identity stitching: only records that changed since the last stitch, and everything
 * connected to them by identities or by a shared profile, are re-clustered; the result for that
 * connected set is the same as a full re-stitch would give. Accounts first (persons link to them),
 * then the links. One transaction, under a lock per entity, so concurrent stitch jobs serialise and
 * a crash leaves the records flagged for the next stitch: persons are re-linked to accounts only
 * where re-clustered (decision 72), so the links must commit with the clusters they follow. In a
 * caller's transaction it is a savepoint, and the locks are held until the caller commits.
 */
export async function stitchIdentities(
  db: Queryable,
  sandbox: string,
  settings: StitchSettings,
): Promise<StitchResult[]> {
  return withTransaction(db, async (client) => {
    await useBulkSettings(client);
    const accounts = await stitchEntity(client, sandbox, 'account', settings);
    const persons = await stitchEntity(client, sandbox, 'person', settings);
    // Persons are re-linked to accounts only where this stitch re-clustered them, unless accounts
    // changed too (then any person's account may have).
    const touched = accounts.result.records === 0 ? persons.touched : undefined;
    const phases = stitchPhases('links');
    await resolveLinks(client, sandbox, settings, touched);
    phases.mark('resolve links');
    return [accounts.result, persons.result];
  });
}

/** The temp tables of one entity's stitch (the next entity's stitch makes its own, in the same transaction). */
const ENTITY_TEMP_TABLES = ['stitch_set', 'stitch_frontier', 'stitch_reached', 'stitch_old_profiles', 'stitch_assign'];

async function stitchEntity(
  client: PoolClient,
  sandbox: string,
  entity: 'person' | 'account',
  settings: StitchSettings,
): Promise<EntityStitch> {
  const stitched = await clusterEntity(client, sandbox, entity, settings);
  await client.query(`drop table if exists ${ENTITY_TEMP_TABLES.join(', ')}`);
  return stitched;
}

/**
 * Past this many re-clustered profiles, linking every person costs about what naming them does,
 * and the list is not kept.
 */
const TOUCHED_LIST_MAX = 50_000;

/** An entity's stitch result, and the profiles it re-clustered (undefined: too many to list). */
interface EntityStitch {
  result: StitchResult;
  touched: number[] | undefined;
}

async function clusterEntity(
  client: PoolClient,
  sandbox: string,
  entity: 'person' | 'account',
  settings: StitchSettings,
): Promise<EntityStitch> {
  const schema = sandboxSchema(sandbox);
  const phases = stitchPhases(entity);
  await client.query("select pg_advisory_xact_lock(hashtext('roster.stitch'), hashtext($1))", [`${schema}/${entity}`]);
  const table = entity === 'person' ? 'person_records' : 'account_records';
  const profile = entity === 'person' ? 'person_id' : 'account_id';
  const { scope } = await collectStitchSet(client, schema, { entity, table, profile });
  phases.mark('collect stitch set');
  await removeEmptiedProfiles(client, schema, entity, table, profile);
  const { graph, recordIds } = await loadStitchGraph(client, schema, entity, namespaceRules(settings, entity), scope);
  phases.mark('load graph');
  if (graph.keys.length === 0) return { result: { entity, records: 0, profiles: 0, conflicts: 0 }, touched: [] };
  const maxIdentities = Math.max(2, ...settings.mappings.map((m) => m.maxIdentitiesPerGraph ?? 50));
  const clusters = clusterGraph(graph, maxIdentities);
  phases.mark('cluster');
  const policy = settings.mappings.find((m) => m.attributeMerge)?.attributeMerge ?? 'sourcePriority';
  const profiles = await writeProfiles(
    client,
    schema,
    { entity, scope, recordIds, keys: graph.keys, canonicalOf: clusters.canonicalOf },
    { policy, sourceRank: settings.sourceRank },
  );
  phases.mark('write profiles');
  await recordConflicts(client, schema, entity, clusters.conflicts);
  const result = { entity, records: graph.keys.length, profiles, conflicts: clusters.conflicts.length };
  const listed = entity === 'person' && profiles <= TOUCHED_LIST_MAX;
  return { result, touched: listed ? await touchedProfiles(client, schema, entity) : undefined };
}

/**
 * Profiles that lost records are re-examined through the stitch set (already collected); one that
 * lost its last record has nothing left to re-examine, so it is removed here.
 */
async function removeEmptiedProfiles(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  table: string,
  profile: string,
): Promise<void> {
  const profiles = entity === 'person' ? 'persons' : 'accounts';
  await client.query(
    `delete from ${schema}.${profiles} p using ${schema}.stitch_dirty d
     where d.entity = $1 and d.profile_id = p.id and not exists (select 1 from ${schema}.${table} r where r.${profile} = p.id)`,
    [entity],
  );
  await client.query(`delete from ${schema}.stitch_dirty where entity = $1`, [entity]);
}

/**
 * A full stitch sorts and joins whole tables: memory for in-memory sorts and hashes (they spilled
 * to disk at 160,000 records), and no JIT, whose compilation of the wide attribute merge cost
 * seconds and saved nothing (these plans run once). An incremental one looks up a few thousand
 * rows by index: at the default random_page_cost the planner scanned all 100,000 persons to find
 * 1,600 of them by canonical key (116 ms against 11 ms); the tables it reads are cached.
 */
async function useBulkSettings(client: PoolClient): Promise<void> {
  await client.query("set local jit = off; set local work_mem = '256MB'; set local random_page_cost = 1.1");
}

/** The profiles of this stitch's canonical keys (`stitch_assign`). */
async function touchedProfiles(client: PoolClient, schema: string, entity: 'person' | 'account'): Promise<number[]> {
  const { rows } = await client.query<{ id: string }>(
    `select distinct p.id from stitch_assign a join ${schema}.${entity === 'person' ? 'persons' : 'accounts'} p
     on p.canonical_key = a.canonical_key`,
  );
  return rows.map((r) => Number(r.id));
}

/** The refused merges and junk values, one statement for all (a CRM with duplicates has thousands). */
async function recordConflicts(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  conflicts: readonly StitchConflict[],
): Promise<void> {
  if (conflicts.length === 0) return;
  await client.query(
    `insert into ${schema}.identity_conflicts (entity, namespace, value, reason, record_keys)
     select $1, c.namespace, c.value, c.reason, array(select jsonb_array_elements_text(c."recordKeys"))
     from jsonb_to_recordset($2::jsonb) as c(namespace text, value text, reason text, "recordKeys" jsonb)
     on conflict (entity, namespace, value, reason) do update set record_keys = excluded.record_keys, detected_at = now()`,
    [entity, JSON.stringify(conflicts)],
  );
}

function namespaceRules(settings: StitchSettings, entity: 'person' | 'account'): Map<string, NamespaceRule> {
  const rules = new Map<string, NamespaceRule>();
  for (const mapping of settings.mappings) {
    for (const namespace of identityRules(mapping).namespaces.values()) {
      if (namespace.entity === entity)
        rules.set(namespace.name, { unique: namespace.unique ?? false, priority: namespace.priority ?? 0 });
    }
  }
  return rules;
}
