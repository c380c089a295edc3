import { counting, ProfileUnionFind } from './profile-union-find';
import type { StitchGraph } from './stitch-graph';
import type { StitchConflict } from './stitch-rule-types';

/** Clusters of a `StitchGraph`. */
export interface GraphClusters {
  /** Record number -> the record number with the smallest key of its cluster (the profile's canonical key). */
  canonicalOf: Int32Array;
  conflicts: StitchConflict[];
}

/** A conflict while clustering: the records of its refused merges, or the sample of a junk value. */
interface ConflictDraft {
  namespace: string;
  value: string;
  reason: string;
  records: Set<number>;
  sample?: string[];
}

/**
 * Pure, deterministic clustering (decision 20): records sharing an identity are merged, strongest
 * namespaces first, unless the merge would give a profile two values of a unique namespace or more
 * identities than the cap. Merges are tried in a canonical order (conversion links, then namespace
 * priority, namespace, value, then the two records' keys), every pair of a value's holders, so any
 * input order gives the same clusters. A value held by more records than the cap is junk: it links
 * nothing and is reported. Works on typed arrays (decision 72): no object per record or edge.
 */
export function clusterGraph(graph: StitchGraph, maxIdentities: number): GraphClusters {
  const rankOf = recordRanks(graph);
  sortHoldersByKey(graph, rankOf);
  const clusters = new ProfileUnionFind(graph, rankOf);
  const conflicts = new Map<string, ConflictDraft>();
  const edgeGroups: number[] = [];
  for (let g = 0; g < graph.groupValue.length; g++) {
    const holders = graph.groupStart[g + 1]! - graph.groupStart[g]!;
    if (graph.groupIsLink[g] || (holders >= 2 && holders <= maxIdentities)) edgeGroups.push(g);
    else if (holders > maxIdentities) {
      const conflict = junkConflict(graph, g, maxIdentities);
      conflicts.set(`${conflict.namespace}\u0000${conflict.value}\u0000junk`, conflict);
    }
  }
  edgeGroups.sort(edgeOrder(graph, rankOf));
  for (const g of edgeGroups) {
    const from = graph.groupStart[g]!;
    const to = graph.groupStart[g + 1]!;
    for (let i = from; i < to; i++) {
      for (let j = i + 1; j < to; j++) {
        const a = clusters.find(graph.members[i]!);
        const b = clusters.find(graph.members[j]!);
        if (a === b) continue;
        const checked = clusters.check(a, b, maxIdentities);
        if ('identities' in checked) clusters.union(a, b, checked.identities);
        else recordRefusal(conflicts, graph, g, checked.refusal, [graph.members[i]!, graph.members[j]!]);
      }
    }
  }
  const canonicalOf = new Int32Array(graph.keys.length);
  for (let r = 0; r < canonicalOf.length; r++) canonicalOf[r] = clusters.smallestOf(r);
  return { canonicalOf, conflicts: [...conflicts.values()].map((c) => finishConflict(c, graph, rankOf)) };
}

/** Each record's place in key order (the identity when the keys were added sorted, as the loader does). */
function recordRanks(graph: StitchGraph): Int32Array {
  const n = graph.keys.length;
  if (graph.keysSorted) return counting(n);
  const keys = graph.keys;
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => compare(keys[x]!, keys[y]!) || x - y);
  const rankOf = new Int32Array(n);
  for (const [rank, record] of order.entries()) rankOf[record] = rank;
  return rankOf;
}

/** Orders each identity group's holders by key; a link keeps its direction (lead, contact), as it sorts by it. */
function sortHoldersByKey(graph: StitchGraph, rankOf: Int32Array): void {
  for (let g = 0; g < graph.groupValue.length; g++) {
    const holders = graph.members.subarray(graph.groupStart[g]!, graph.groupStart[g + 1]!);
    if (graph.groupIsLink[g] || holders.length < 2 || isAscending(holders, rankOf)) continue;
    if (graph.keysSorted) holders.sort();
    else holders.sort((x, y) => rankOf[x]! - rankOf[y]!);
  }
}

function isAscending(holders: Int32Array, rankOf: Int32Array): boolean {
  for (let i = 1; i < holders.length; i++) if (rankOf[holders[i - 1]!]! > rankOf[holders[i]!]!) return false;
  return true;
}

function edgeOrder(graph: StitchGraph, rankOf: Int32Array): (x: number, y: number) => number {
  const priority = graph.namespaces.map((n) => graph.rules.get(n)?.priority ?? 0);
  const rank = (g: number) => (graph.groupIsLink[g] ? Number.MAX_SAFE_INTEGER : priority[graph.groupNamespace[g]!]!);
  const holder = (g: number, i: number) => rankOf[graph.members[graph.groupStart[g]! + i]!]!;
  return (x, y) =>
    rank(y) - rank(x) ||
    compare(graph.namespaces[graph.groupNamespace[x]!]!, graph.namespaces[graph.groupNamespace[y]!]!) ||
    compare(graph.groupValue[x]!, graph.groupValue[y]!) ||
    holder(x, 0) - holder(y, 0) ||
    holder(x, 1) - holder(y, 1);
}

function junkConflict(graph: StitchGraph, g: number, maxIdentities: number): ConflictDraft {
  const from = graph.groupStart[g]!;
  const holders = graph.groupStart[g + 1]! - from;
  const sample = Array.from(graph.members.subarray(from, from + Math.min(holders, 5)), (r) => graph.keys[r]!);
  return {
    namespace: graph.namespaces[graph.groupNamespace[g]!]!,
    value: graph.groupValue[g]!,
    reason: `shared by ${holders} records, more than maxIdentitiesPerGraph ${maxIdentities}: treated as junk, links nothing`,
    records: new Set<number>(),
    sample,
  };
}

function recordRefusal(
  conflicts: Map<string, ConflictDraft>,
  graph: StitchGraph,
  g: number,
  reason: string,
  records: [number, number],
): void {
  const namespace = graph.namespaces[graph.groupNamespace[g]!]!;
  const value = graph.groupValue[g]!;
  const id = `${namespace}\u0000${value}\u0000${reason}`;
  const conflict = conflicts.get(id) ?? { namespace, value, reason, records: new Set<number>() };
  conflicts.set(id, conflict);
  for (const record of records) conflict.records.add(record);
}

/** The conflict as stored: the 20 smallest record keys of the refused merges (the junk sample as taken). */
function finishConflict(conflict: ConflictDraft, graph: StitchGraph, rankOf: Int32Array): StitchConflict {
  const recordKeys =
    conflict.sample ??
    [...new Set([...conflict.records].sort((x, y) => rankOf[x]! - rankOf[y]!).map((r) => graph.keys[r]!))].slice(0, 20);
  return { namespace: conflict.namespace, value: conflict.value, reason: conflict.reason, recordKeys };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
