import type { PoolClient } from 'pg';
import { copyOutRows } from './copy-out-rows';
import { type StitchGraph, StitchGraphBuilder } from './stitch-graph';
import type { NamespaceRule } from './stitch-rule-types';

/**
 * The stitch set (`stitch_set`) as a `StitchGraph`, streamed with COPY in text (no row objects):
 * records numbered in key order into the temp table `stitch_records` (record_id, idx, key); the
 * identity values they hold, grouped by PostgreSQL into one line per value with its holders' numbers
 * (`array_agg` of integers: half the time of `string_agg` of their text at 160,000 records);
 * for persons, the conversion links between records of the set. The key order is byte order
 * (`collate "C"`); the graph checks it against JavaScript's order, and clustering re-sorts in the
 * rare case they differ (characters beyond U+FFFF against U+E000..U+FFFF).
 */
export async function loadStitchGraph(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  rules: ReadonlyMap<string, NamespaceRule>,
): Promise<StitchGraph> {
  const table = entity === 'person' ? 'person_records' : 'account_records';
  await client.query(
    `create temp table stitch_records on commit drop as
     select (row_number() over (order by k.key collate "C"))::int - 1 as idx, k.record_id, k.key from (
       select r.id as record_id, r.source_name || '/' || r.source_object || '/' || r.source_key as key
       from stitch_set s join ${schema}.${table} r on r.id = s.record_id) k`,
  );
  await client.query('alter table stitch_records add primary key (record_id)');
  await client.query('analyze stitch_records');
  const builder = new StitchGraphBuilder(rules);
  await copyOutRows(client, 'select key from stitch_records order by idx', (row) => builder.addRecord(row.text(0)!));
  const holders: number[] = [];
  // `entity` is one of two literals (COPY takes no parameters).
  await copyOutRows(
    client,
    `select i.namespace, i.value, array_agg(k.idx) from ${schema}.record_identities i
     join stitch_records k on k.record_id = i.record_id where i.entity = '${entity}' group by i.namespace, i.value`,
    (row) => {
      row.ints(2, holders);
      const namespace = row.text(0)!;
      // The value of a lone holder is read only where it is compared (unique namespaces).
      const value = holders.length > 1 || builder.keepsSingle(namespace) ? row.text(1)! : '';
      builder.addIdentity(namespace, value, holders);
    },
  );
  if (entity === 'person') await loadConversionLinks(client, schema, builder);
  return builder.build();
}

/** A lead converted into a contact is the same person, whatever their emails say. */
async function loadConversionLinks(client: PoolClient, schema: string, builder: StitchGraphBuilder): Promise<void> {
  await copyOutRows(
    client,
    `select lk.idx, ck.idx, lead.converted_to_key from stitch_records lk
     join ${schema}.person_records lead on lead.id = lk.record_id
     join ${schema}.person_records contact on contact.source_name = lead.source_name and contact.source_key = lead.converted_to_key
     join stitch_records ck on ck.record_id = contact.id
     where lead.converted_to_key is not null`,
    (row) => builder.addLink(row.int(0), row.int(1), row.text(2)!),
  );
}
