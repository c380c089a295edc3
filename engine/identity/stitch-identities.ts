import type { PoolClient } from 'pg';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { withTransaction } from '../runtime/with-transaction';
import { clusterRecords, type NamespaceRule, type StitchLink, type StitchRecord } from './cluster-records';
import { collectStitchSet } from './collect-stitch-set';
import { identityRules } from './normalize-identity';
import { resolveLinks } from './resolve-links';
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
 * connected set is the same as a full re-stitch would give. Accounts first (persons link to them).
 * One transaction per entity, under a lock, so concurrent stitch jobs serialise (in a caller's
 * transaction: one savepoint per entity, the locks held until the caller commits).
 */
export async function stitchIdentities(
  db: Queryable,
  sandbox: string,
  settings: StitchSettings,
): Promise<StitchResult[]> {
  const results: StitchResult[] = [];
  for (const entity of ['account', 'person'] as const) {
    results.push(await withTransaction(db, (client) => stitchEntity(client, sandbox, entity, settings)));
  }
  await withTransaction(db, (client) => resolveLinks(client, sandbox, settings));
  return results;
}

async function stitchEntity(
  client: PoolClient,
  sandbox: string,
  entity: 'person' | 'account',
  settings: StitchSettings,
): Promise<StitchResult> {
  const schema = sandboxSchema(sandbox);
  await client.query("select pg_advisory_xact_lock(hashtext('roster.stitch'), hashtext($1))", [`${schema}/${entity}`]);
  const table = entity === 'person' ? 'person_records' : 'account_records';
  const profile = entity === 'person' ? 'person_id' : 'account_id';
  await collectStitchSet(client, schema, { entity, table, profile });
  await removeEmptiedProfiles(client, schema, entity, table, profile);
  const records = await loadRecords(client, schema, entity, table);
  if (records.length === 0) return { entity, records: 0, profiles: 0, conflicts: 0 };
  const links = entity === 'person' ? await loadConversionLinks(client, schema) : [];
  const rules = namespaceRules(settings, entity);
  const maxIdentities = Math.max(2, ...settings.mappings.map((m) => m.maxIdentitiesPerGraph ?? 50));
  const clusters = clusterRecords(records, links, rules, maxIdentities);
  const policy = settings.mappings.find((m) => m.attributeMerge)?.attributeMerge ?? 'sourcePriority';
  const profiles = await writeProfiles(client, schema, entity, clusters.canonicalKeyOf, {
    policy,
    sourceRank: settings.sourceRank,
  });
  for (const conflict of clusters.conflicts) {
    await client.query(
      `insert into ${schema}.identity_conflicts (entity, namespace, value, reason, record_keys) values ($1, $2, $3, $4, $5)
       on conflict (entity, namespace, value, reason) do update set record_keys = excluded.record_keys, detected_at = now()`,
      [entity, conflict.namespace, conflict.value, conflict.reason, conflict.recordKeys],
    );
  }
  return { entity, records: records.length, profiles, conflicts: clusters.conflicts.length };
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

/** The stitch set's records with their identities, aggregated per record (one scan, no subquery per record). */
async function loadRecords(client: PoolClient, schema: string, entity: string, table: string): Promise<StitchRecord[]> {
  const { rows } = await client.query<{ id: string; key: string; namespaces: string[]; values: string[] }>(
    `select r.id, min(r.source_name || '/' || r.source_object || '/' || r.source_key) as key,
       array_remove(array_agg(i.namespace), null) as namespaces, array_remove(array_agg(i.value), null) as values
     from stitch_set s join ${schema}.${table} r on r.id = s.record_id
     left join ${schema}.record_identities i on i.entity = $1 and i.record_id = r.id
     group by r.id`,
    [entity],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    key: r.key,
    identities: r.namespaces.map((namespace, i) => ({ namespace, value: r.values[i]! })),
  }));
}

/** A lead converted into a contact is the same person, whatever their emails say. */
async function loadConversionLinks(client: PoolClient, schema: string): Promise<StitchLink[]> {
  const { rows } = await client.query<{ from: string; to: string; key: string }>(
    `select lead.id as from, contact.id as to, lead.converted_to_key as key
     from stitch_set s join ${schema}.person_records lead on lead.id = s.record_id
     join ${schema}.person_records contact on contact.source_name = lead.source_name and contact.source_key = lead.converted_to_key
     where lead.converted_to_key is not null and contact.id in (select record_id from stitch_set)`,
  );
  return rows.map((r) => ({ from: Number(r.from), to: Number(r.to), namespace: 'convertedTo', value: r.key }));
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
