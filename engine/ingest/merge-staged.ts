import type { PoolClient } from 'pg';
import type { AttributeType } from '../catalog/attribute-catalog';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { CompiledMapping } from './compile-mapping';

export interface MergeCounts {
  written: number;
  deleted: number;
  unchanged: number;
}

const CAST: Record<AttributeType, string> = {
  string: 'text',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
};

/**
 * Set-based upsert of the staged rows into the entity table: the last occurrence of a key wins,
 * rows whose content hash did not change are left alone (re-running the same input writes
 * nothing), deleted-in-source rows are removed. Identities of changed person/account records are
 * replaced. Column names come from ENTITY_TABLES, never from input.
 */
export async function mergeStaged(
  client: PoolClient,
  sandbox: string,
  mapping: CompiledMapping,
  runId: number,
): Promise<MergeCounts> {
  const schema = sandboxSchema(sandbox);
  const { table } = mapping.table;
  const target = `${schema}.${table}`;
  const columns = mapping.columns.map((c) => mapping.table.columns.find((t) => t.attribute === c.target)!.column);
  const links = mapping.links.map((l) => mapping.table.links[l.target]!);
  const casts = mapping.columns.map((c, i) => `c${i}::${CAST[c.type]}`);
  const identityColumns = table === 'events' ? ['identity_namespace', 'identity_value'] : [];
  const all = [...columns, ...links, ...identityColumns];
  const selected = [
    ...casts,
    ...links.map((_, i) => `l${i}`),
    ...(identityColumns.length ? ['id_namespace', 'id_value'] : []),
  ];
  const params = [mapping.sourceType, mapping.source, mapping.object.name, runId];
  await client.query(
    'create temp table stage_final on commit drop as select distinct on (key) * from stage_rows order by key, seq desc',
  );
  const profileColumn =
    mapping.table.stitched === 'person'
      ? 'person_id'
      : mapping.table.stitched === 'account'
        ? 'account_id'
        : 'null::bigint';
  const deleted = await client.query<{ id: string; profile: string | null }>(
    `delete from ${target} t using stage_final s where s.deleted and t.source_name = $1 and t.source_object = $2 and t.source_key = s.key
     returning t.id, t.${profileColumn === 'null::bigint' ? 'id' : profileColumn} as profile`,
    [mapping.source, mapping.object.name],
  );
  const upsert = await client.query<{ id: string; key: string }>(
    `insert into ${target} (source_type, source_name, source_object, source_key, ${all.map((c) => `${c}, `).join('')}attrs, content_hash, run_id)
     select $1, $2, $3, key, ${selected.map((c) => `${c}, `).join('')}attrs::jsonb, content_hash, $4 from stage_final where not deleted
     on conflict (source_name, source_object, source_key) do update set
       ${[...all, 'attrs', 'content_hash', 'run_id'].map((c) => `${c} = excluded.${c}`).join(', ')}, ingested_at = now()${mapping.table.stitched ? ', needs_stitch = true' : ''}
     where ${target}.content_hash is distinct from excluded.content_hash
     returning id, source_key as key`,
    params,
  );
  if (mapping.table.stitched) await replaceIdentities(client, schema, mapping, runId, deleted.rows);
  if (table === 'events') await resolveNewEvents(client, schema, runId);
  // Rows kept as they were: unchanged upserts, and deletions of rows that were not there.
  const { rows } = await client.query<{ n: string }>('select count(*) as n from stage_final');
  const written = upsert.rowCount ?? 0;
  await client.query('drop table stage_rows, stage_identities, stage_final'); // the next object stages afresh
  return { written, deleted: deleted.rowCount ?? 0, unchanged: Number(rows[0]!.n) - written - (deleted.rowCount ?? 0) };
}

/** Changed records get exactly the identities they carry now; deleted ones lose theirs and their profiles are re-stitched. */
async function replaceIdentities(
  client: PoolClient,
  schema: string,
  mapping: CompiledMapping,
  runId: number,
  deleted: { id: string; profile: string | null }[],
): Promise<void> {
  const entity = mapping.table.stitched!;
  const target = `${schema}.${mapping.table.table}`;
  const profiles = deleted.map((d) => d.profile).filter((p): p is string => p !== null);
  await client.query(
    `insert into ${schema}.stitch_dirty (entity, profile_id) select $1, unnest($2::bigint[]) on conflict do nothing`,
    [entity, profiles],
  );
  await client.query(`delete from ${schema}.record_identities where entity = $1 and record_id = any($2::bigint[])`, [
    entity,
    deleted.map((d) => d.id),
  ]);
  // Records this run changed carry run_id = runId (unchanged ones kept their earlier run_id).
  await client.query(
    `delete from ${schema}.record_identities ri using ${target} r
     where ri.entity = $1 and ri.record_id = r.id and r.source_name = $2 and r.source_object = $3 and r.run_id = $4`,
    [entity, mapping.source, mapping.object.name, runId],
  );
  await client.query(
    `insert into ${schema}.record_identities (entity, record_id, namespace, value)
     select distinct $1, r.id, i.namespace, i.value from stage_identities i
     join stage_final s on s.seq = i.seq
     join ${target} r on r.source_name = $2 and r.source_object = $3 and r.source_key = i.key and r.run_id = $4
     on conflict do nothing`,
    [entity, mapping.source, mapping.object.name, runId],
  );
}

/**
 * Events of this run get their person at once (key within the source, else the identity they name),
 * so an event is attached to its person when the run commits: streaming evaluation needs no stitch.
 */
async function resolveNewEvents(client: PoolClient, schema: string, runId: number): Promise<void> {
  await client.query(
    `update ${schema}.events e set person_id = coalesce(
       (select pr.person_id from ${schema}.person_records pr where pr.source_name = e.source_name and pr.source_key = e.person_key and pr.person_id is not null limit 1),
       (select pr.person_id from ${schema}.record_identities ri join ${schema}.person_records pr on pr.id = ri.record_id
        where ri.entity = 'person' and ri.namespace = e.identity_namespace and ri.value = e.identity_value and pr.person_id is not null
        order by pr.person_id limit 1))
     where e.run_id = $1`,
    [runId],
  );
}
