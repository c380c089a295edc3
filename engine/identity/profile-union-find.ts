import type { StitchGraph } from './stitch-graph';

/**
 * Union-find over a `StitchGraph`'s records with what merge protection needs per cluster, all in
 * typed arrays indexed by record number (a cluster's data lives at its root): the number of distinct
 * identities, the value (group) of each unique namespace, the record with the smallest key, and a
 * circular list of the cluster's records (to count the identities two clusters have in common).
 */
export class ProfileUnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;
  private readonly next: Int32Array;
  private readonly smallest: Int32Array;
  private readonly identities: Int32Array;
  /** Per unique namespace (in name order): record -> group of its value, -1 for none. */
  private readonly unique: { namespace: string; groupOf: Int32Array }[];
  /** Per record: the groups it holds that other records hold too (CSR: `sharedStart`, `shared`). */
  private readonly sharedStart: Int32Array;
  private readonly shared: Int32Array;
  private readonly stamp: Int32Array;
  private tick = 0;

  constructor(
    private readonly graph: StitchGraph,
    private readonly rankOf: Int32Array,
  ) {
    const n = graph.keys.length;
    this.parent = counting(n);
    this.size = new Int32Array(n).fill(1);
    this.next = counting(n);
    this.smallest = counting(n);
    this.identities = Int32Array.from(graph.singletons);
    this.unique = uniqueValues(graph);
    [this.sharedStart, this.shared] = sharedGroups(graph, this.identities);
    this.stamp = new Int32Array(graph.groupValue.length);
  }

  find(record: number): number {
    const parent = this.parent;
    let x = record;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  /** The record with the smallest key in `record`'s cluster. */
  smallestOf(record: number): number {
    return this.smallest[this.find(record)]!;
  }

  /**
   * Why the clusters of roots `a` and `b` must not merge (two values of a unique namespace, in
   * namespace name order; or more identities than the cap), or the identity count of the merge.
   */
  check(a: number, b: number, maxIdentities: number): { refusal: string } | { identities: number } {
    for (const { namespace, groupOf } of this.unique) {
      const value = groupOf[a]!;
      const other = groupOf[b]!;
      if (value >= 0 && other >= 0 && value !== other) {
        const values = [this.graph.groupValue[value]!, this.graph.groupValue[other]!].sort().join(', ');
        return { refusal: `would give one profile two ${namespace} values (${values}), and ${namespace} is unique` };
      }
    }
    const count = this.identities[a]! + this.identities[b]! - this.commonIdentities(a, b);
    if (count > maxIdentities)
      return { refusal: `would give one profile ${count} identities, over maxIdentitiesPerGraph ${maxIdentities}` };
    return { identities: count };
  }

  /** Merges the clusters of roots `a` and `b` (union by size), which together hold `identities`. */
  union(a: number, b: number, identities: number): void {
    const [big, small] = this.size[a]! >= this.size[b]! ? [a, b] : [b, a];
    this.parent[small] = big;
    this.size[big]! += this.size[small]!;
    const after = this.next[big]!;
    this.next[big] = this.next[small]!;
    this.next[small] = after;
    if (this.rankOf[this.smallest[small]!]! < this.rankOf[this.smallest[big]!]!)
      this.smallest[big] = this.smallest[small]!;
    this.identities[big] = identities;
    for (const { groupOf } of this.unique) if (groupOf[big]! < 0) groupOf[big] = groupOf[small]!;
  }

  /** Identities held by both clusters: only shared groups can be (a single holder is in one cluster). */
  private commonIdentities(a: number, b: number): number {
    this.tick += 2;
    const inA = this.tick;
    const counted = this.tick + 1;
    let x = a;
    do {
      for (let k = this.sharedStart[x]!; k < this.sharedStart[x + 1]!; k++) this.stamp[this.shared[k]!] = inA;
      x = this.next[x]!;
    } while (x !== a);
    let common = 0;
    x = b;
    do {
      for (let k = this.sharedStart[x]!; k < this.sharedStart[x + 1]!; k++) {
        const group = this.shared[k]!;
        if (this.stamp[group] === inA) {
          common++;
          this.stamp[group] = counted;
        }
      }
      x = this.next[x]!;
    } while (x !== b);
    return common;
  }
}

/** 0, 1, ..., n - 1. */
export function counting(n: number): Int32Array {
  const numbers = new Int32Array(n);
  for (let i = 0; i < n; i++) numbers[i] = i;
  return numbers;
}

function uniqueValues(graph: StitchGraph): { namespace: string; groupOf: Int32Array }[] {
  const n = graph.keys.length;
  const unique = graph.namespaces
    .map((namespace, index) => ({ namespace, index, groupOf: new Int32Array(n).fill(-1) }))
    .filter(({ namespace }) => graph.rules.get(namespace)?.unique === true)
    .sort((x, y) => (x.namespace < y.namespace ? -1 : x.namespace > y.namespace ? 1 : 0));
  const byIndex = new Map(unique.map((u) => [u.index, u.groupOf]));
  for (let g = 0; g < graph.groupValue.length; g++) {
    const groupOf = graph.groupIsLink[g] ? undefined : byIndex.get(graph.groupNamespace[g]!);
    if (!groupOf) continue;
    for (let k = graph.groupStart[g]!; k < graph.groupStart[g + 1]!; k++) {
      const record = graph.members[k]!;
      const held = groupOf[record]!;
      // Records carry one value per namespace (one field each); should one carry two, the smaller counts.
      if (held < 0 || graph.groupValue[g]! < graph.groupValue[held]!) groupOf[record] = g;
    }
  }
  return unique.map(({ namespace, groupOf }) => ({ namespace, groupOf }));
}

/** Counts every kept group into `identities`, and lists per record the groups of more than one holder. */
function sharedGroups(graph: StitchGraph, identities: Int32Array): [Int32Array, Int32Array] {
  const n = graph.keys.length;
  const start = new Int32Array(n + 1);
  const groups = graph.groupValue.length;
  for (let g = 0; g < groups; g++) {
    if (graph.groupIsLink[g]) continue;
    const from = graph.groupStart[g]!;
    const to = graph.groupStart[g + 1]!;
    for (let k = from; k < to; k++) {
      identities[graph.members[k]!]!++;
      if (to - from > 1) start[graph.members[k]! + 1]!++;
    }
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const shared = new Int32Array(start[n]!);
  for (let g = 0; g < groups; g++) {
    const from = graph.groupStart[g]!;
    const to = graph.groupStart[g + 1]!;
    if (graph.groupIsLink[g] || to - from < 2) continue;
    for (let k = from; k < to; k++) shared[fill[graph.members[k]!]!++] = g;
  }
  return [start, shared];
}
