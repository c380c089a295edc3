import { clusterGraph } from './cluster-graph';
import { StitchGraphBuilder } from './stitch-graph';
import type { NamespaceRule, StitchConflict } from './stitch-rule-types';

/** A record to cluster: its stable key (`source/object/key`) and the identities it carries. */
export interface StitchRecord {
  id: number;
  key: string;
  identities: { namespace: string; value: string }[];
}

/** An explicit "same person" link between two records (a lead converted into a contact). */
export interface StitchLink {
  from: number;
  to: number;
  namespace: string;
  value: string;
}

export type { NamespaceRule, StitchConflict };

export interface ClusterResult {
  /** Record id -> the smallest record key of its cluster (the profile's canonical key). */
  canonicalKeyOf: Map<number, string>;
  conflicts: StitchConflict[];
}

/**
 * `clusterGraph` over records given as objects (small inputs, tests): records sharing an identity
 * are merged, strongest namespaces first, unless the merge would give a profile two values of a
 * unique namespace (merge protection) or more identities than the cap; any input order gives the
 * same clusters. Stitching itself streams its records into a `StitchGraph` (`loadStitchGraph`).
 */
export function clusterRecords(
  records: readonly StitchRecord[],
  links: readonly StitchLink[],
  rules: ReadonlyMap<string, NamespaceRule>,
  maxIdentities: number,
): ClusterResult {
  const builder = new StitchGraphBuilder(rules);
  const numberOf = new Map<number, number>();
  for (const record of records) numberOf.set(record.id, builder.addRecord(record.key));
  const holders = new Map<string, Set<number>>();
  for (const record of records) {
    for (const { namespace, value } of record.identities) {
      const id = `${namespace}\u0000${value}`;
      holders.set(id, (holders.get(id) ?? new Set()).add(numberOf.get(record.id)!));
    }
  }
  for (const [id, numbers] of holders) {
    const [namespace, value] = id.split('\u0000') as [string, string];
    builder.addIdentity(namespace, value, [...numbers]);
  }
  for (const link of links) builder.addLink(numberOf.get(link.from)!, numberOf.get(link.to)!, link.value);
  const graph = builder.build();
  const { canonicalOf, conflicts } = clusterGraph(graph, maxIdentities);
  const canonicalKeyOf = new Map<number, string>();
  for (const record of records) canonicalKeyOf.set(record.id, graph.keys[canonicalOf[numberOf.get(record.id)!]!]!);
  return { canonicalKeyOf, conflicts };
}
