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
  const target = `${schema}.${mapping.table.table}`;
  await client.query(
    'create temp table stage_final on commit drop as select distinct on (key) * from stage_rows order by key, seq desc',
  );
  await client.query('create temp table stage_changed (id bigint, key text, existed boolean) on commit drop');
  await client.query('analyze stage_final'); // temp tables have no statistics: without them the joins below plan badly
  const deleted = await deleteRemoved(client, target, mapping);
  await client.query(upsertSql(target, mapping), [mapping.sourceType, mapping.source, mapping.object.name, runId]);
  await client.query('analyze stage_changed');
  if (mapping.table.stitched) await replaceIdentities(client, schema, mapping.table.stitched, deleted);
  if (mapping.table.table === 'events') await resolveNewEvents(client, schema, runId);
  const { rows } = await client.query<{ staged: string; written: string }>(
    'select (select count(*) from stage_final) as staged, (select count(*) from stage_changed) as written',
  );
  await client.query('drop table stage_rows, stage_identities, stage_final, stage_changed'); // the next object stages afresh
  const written = Number(rows[0]!.written);
  // Rows kept as they were: unchanged upserts, and deletions of rows that were not there.
  return { written, deleted: deleted.length, unchanged: Number(rows[0]!.staged) - written - deleted.length };
}

/**
 * The upsert; changed and new rows' ids land in `stage_changed` (data-modifying CTE), with whether
 * the row existed: a row an `on conflict do update` rewrote has the upserting transaction in its
 * `xmax` (it holds the row's lock), an inserted row has none.
 */
function upsertSql(target: string, mapping: CompiledMapping): string {
  const columns = mapping.columns.map((c) => mapping.table.columns.find((t) => t.attribute === c.target)!.column);
  const links = mapping.links.map((l) => mapping.table.links[l.target]!);
  const events = mapping.table.table === 'events';
  const all = [...columns, ...links, ...(events ? ['identity_namespace', 'identity_value'] : [])];
  const selected = [
    ...mapping.columns.map((c, i) => `c${i}::${CAST[c.type]}`),
    ...links.map((_, i) => `l${i}`),
    ...(events ? ['id_namespace', 'id_value'] : []),
  ];
  const updates = [...all, 'attrs', 'content_hash', 'run_id'].map((c) => `${c} = excluded.${c}`);
  if (mapping.table.stitched) updates.push('needs_stitch = true');
  return `with upserted as (
      insert into ${target} (source_type, source_name, source_object, source_key, ${all.map((c) => `${c}, `).join('')}attrs, content_hash, run_id)
      select $1, $2, $3, key, ${selected.map((c) => `${c}, `).join('')}attrs::jsonb, content_hash, $4 from stage_final where not deleted
      on conflict (source_name, source_object, source_key) do update set ${updates.join(', ')}, ingested_at = now()
      where ${target}.content_hash is distinct from excluded.content_hash
      returning id, source_key, xmax <> 0 as existed)
    insert into stage_changed select id, source_key, existed from upserted`;
}

async function deleteRemoved(
  client: PoolClient,
  target: string,
  mapping: CompiledMapping,
): Promise<{ id: string; profile: string | null }[]> {
  const { rows: any } = await client.query('select 1 from stage_final where deleted limit 1');
  if (any.length === 0) return []; // the common case; also spares the planner a join it estimates badly
  const profile =
    mapping.table.stitched === 'person'
      ? 't.person_id'
      : mapping.table.stitched === 'account'
        ? 't.account_id'
        : 'null::bigint';
  const { rows } = await client.query<{ id: string; profile: string | null }>(
    `delete from ${target} t where t.source_name = $1 and t.source_object = $2 and t.source_key in (select key from stage_final where deleted)
     returning t.id, ${profile} as profile`,
    [mapping.source, mapping.object.name],
  );
  return rows;
}

/**
 * Changed records get exactly the identities they carry now; deleted ones lose theirs and their
 * profiles are re-stitched. So are the profiles of the other holders of a value a record dropped
 * (`dirtyOtherHolders`).
 */
async function replaceIdentities(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  deleted: { id: string; profile: string | null }[],
): Promise<void> {
  const profiles = deleted.map((d) => d.profile).filter((p): p is string => p !== null);
  await client.query(
    `insert into ${schema}.stitch_dirty (entity, profile_id) select $1, unnest($2::bigint[]) on conflict do nothing`,
    [entity, profiles],
  );
  await client.query('create temp table stage_dropped (record_id bigint, namespace text, value text) on commit drop');
  await client.query(
    `with gone as (delete from ${schema}.record_identities where entity = $1 and record_id = any($2::bigint[])
       returning record_id, namespace, value)
     insert into stage_dropped select * from gone`,
    [entity, deleted.map((d) => d.id)],
  );
  await client.query('analyze stage_identities');
  // Only the identities a changed record no longer carries are deleted, and only new ones inserted:
  // rewriting the unchanged ones (most of them: a new job title changes no identity) cost their
  // rows and index entries, and left them not all-visible, so the stitch's closure fetched each one
  // from the table (60,000 heap fetches for 8,000 changed records). New records had none.
  await client.query(
    `create temp table stage_record_identities on commit drop as
     select c.id as record_id, i.namespace, i.value from stage_identities i
     join stage_final s on s.seq = i.seq join stage_changed c on c.key = s.key where c.existed`,
  );
  await client.query('analyze stage_record_identities');
  await client.query(
    `with gone as (delete from ${schema}.record_identities ri using stage_changed c
       where ri.entity = $1 and ri.record_id = c.id and c.existed
         and not exists (select 1 from stage_record_identities n
                         where n.record_id = ri.record_id and n.namespace = ri.namespace and n.value = ri.value)
       returning ri.record_id, ri.namespace, ri.value)
     insert into stage_dropped select * from gone`,
    [entity],
  );
  await client.query(
    `insert into ${schema}.record_identities (entity, record_id, namespace, value)
     select $1, c.id, i.namespace, i.value from stage_identities i
     join stage_final s on s.seq = i.seq join stage_changed c on c.key = s.key
     on conflict do nothing`,
    [entity],
  );
  await dirtyOtherHolders(client, schema, entity);
  await client.query('drop table stage_dropped, stage_record_identities');
}

/**
 * Marks for re-stitching the profiles of the records that still hold a value another record
 * dropped (changed or deleted). The stitch's closure starts from changed records and follows the
 * values they hold now, so it would never reach these: a junk value that falls back under the cap
 * when holders leave it links its remaining holders again, and a merge refused because of the
 * leaver may now be allowed. Found by comparing an incremental stitch with a full one after many
 * holders of junk addresses changed theirs (the union-find equivalence test). `stage_dropped` holds
 * only values the record no longer carries: the closure reaches the holders of the others through
 * the record.
 */
async function dirtyOtherHolders(client: PoolClient, schema: string, entity: 'person' | 'account'): Promise<void> {
  const { rows } = await client.query('select 1 from stage_dropped limit 1');
  if (rows.length === 0) return; // a first load: nothing was held before
  const records = entity === 'person' ? 'person_records' : 'account_records';
  const profile = entity === 'person' ? 'person_id' : 'account_id';
  await client.query('analyze stage_dropped');
  await client.query(
    `insert into ${schema}.stitch_dirty (entity, profile_id)
     select distinct $1, r.${profile} from stage_dropped d
     join ${schema}.record_identities other on other.entity = $1 and other.namespace = d.namespace and other.value = d.value
       and other.record_id <> d.record_id
     join ${schema}.${records} r on r.id = other.record_id
     where r.${profile} is not null
     on conflict do nothing`,
    [entity],
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
