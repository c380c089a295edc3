import type { PoolClient } from 'pg';
import type { StitchScope } from './collect-stitch-set';
import { copyOutRows } from './copy-out-rows';
import { type StitchGraph, StitchGraphBuilder } from './stitch-graph';
import { stitchPhases } from './stitch-phases';
import type { NamespaceRule } from './stitch-rule-types';

const KEY = `r.source_name || '/' || r.source_object || '/' || r.source_key`;

/** A stitch's graph and, per record number, the record's id (`recordIds[n]`). */
export interface LoadedStitchGraph {
  graph: StitchGraph;
  recordIds: Float64Array;
}

/**
 * The records to re-cluster as a `StitchGraph`, streamed with COPY in text (no row objects): the
 * stitch set's records (`stitch_set`), or every record of the entity when the scope is `whole`,
 * numbered in key order; the identity values they hold, grouped by PostgreSQL into one line per
 * value with its holders' ids; for persons, the conversion links between them. Holders are read as
 * record ids and numbered here: joining the identities to a numbered temp table cost more than the
 * grouping itself (2.2 of 8.3 s at 1.6M records, and the wider rows made the grouping spill to
 * disk: 3.2 s without the join). The key order is byte order (`collate "C"`); the graph checks it
 * against JavaScript's order, and clustering re-sorts in the rare case they differ (characters
 * beyond U+FFFF against U+E000..U+FFFF).
 */
export async function loadStitchGraph(
  client: PoolClient,
  schema: string,
  entity: 'person' | 'account',
  rules: ReadonlyMap<string, NamespaceRule>,
  scope: StitchScope,
): Promise<LoadedStitchGraph> {
  const table = entity === 'person' ? 'person_records' : 'account_records';
  const phases = stitchPhases(`${entity} load`);
  const inSet = (alias: string) => (scope === 'whole' ? '' : `join stitch_set on stitch_set.record_id = ${alias}.id`);
  const builder = new StitchGraphBuilder(rules);
  const ids: number[] = [];
  const numberOf = new Map<number, number>();
  await copyOutRows(
    client,
    `select r.id, ${KEY} from ${schema}.${table} r ${inSet('r')} order by ${KEY} collate "C"`,
    (row) => {
      const id = row.int(0);
      numberOf.set(id, builder.addRecord(row.text(1)!));
      ids.push(id);
    },
  );
  phases.mark('read keys');
  const holderIds: number[] = [];
  const holders: number[] = [];
  // `entity` is one of two literals (COPY takes no parameters).
  await copyOutRows(
    client,
    `select i.namespace, i.value, array_agg(i.record_id) from ${schema}.record_identities i
     ${scope === 'whole' ? '' : 'join stitch_set on stitch_set.record_id = i.record_id'}
     where i.entity = '${entity}' group by i.namespace, i.value`,
    (row) => {
      row.ints(2, holderIds);
      holders.length = 0;
      for (const id of holderIds) holders.push(numberOf.get(id)!);
      const namespace = row.text(0)!;
      // The value of a lone holder is read only where it is compared (unique namespaces).
      const value = holders.length > 1 || builder.keepsSingle(namespace) ? row.text(1)! : '';
      builder.addIdentity(namespace, value, holders);
    },
  );
  phases.mark('read identity groups');
  if (entity === 'person') {
    // A lead converted into a contact is the same person, whatever their emails say.
    await copyOutRows(
      client,
      `select lead.id, contact.id, lead.converted_to_key from ${schema}.person_records lead
       join ${schema}.person_records contact on contact.source_name = lead.source_name and contact.source_key = lead.converted_to_key
       ${scope === 'whole' ? '' : 'join stitch_set ls on ls.record_id = lead.id join stitch_set cs on cs.record_id = contact.id'}
       where lead.converted_to_key is not null`,
      (row) => builder.addLink(numberOf.get(row.int(0))!, numberOf.get(row.int(1))!, row.text(2)!),
    );
  }
  const graph = builder.build();
  phases.mark('read conversions, build');
  return { graph, recordIds: Float64Array.from(ids) };
}
