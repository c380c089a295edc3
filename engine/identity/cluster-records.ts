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

export interface NamespaceRule {
  unique: boolean;
  priority: number;
}

/** A merge that was refused, and why. */
export interface StitchConflict {
  namespace: string;
  value: string;
  reason: string;
  recordKeys: string[];
}

export interface ClusterResult {
  /** Record id -> the smallest record key of its cluster (the profile's canonical key). */
  canonicalKeyOf: Map<number, string>;
  conflicts: StitchConflict[];
}

interface Cluster {
  minKey: string;
  /** Values per unique namespace (one allowed). */
  unique: Map<string, string>;
  identities: Set<string>;
  /** Record ids in the cluster (relabelled when the cluster is merged into a bigger one). */
  ids: number[];
}

/**
 * Pure, deterministic clustering: records sharing an identity are merged, strongest namespaces
 * first, unless the merge would give a profile two values of a unique namespace (two CRM ids:
 * merge protection) or more identities than the cap. Edges are processed in a canonical order
 * (namespace priority, namespace, value, record key), so any input order gives the same clusters.
 */
export function clusterRecords(
  records: readonly StitchRecord[],
  links: readonly StitchLink[],
  rules: ReadonlyMap<string, NamespaceRule>,
  maxIdentities: number,
): ClusterResult {
  const byId = new Map(records.map((r) => [r.id, r]));
  const clusterOf = new Map<number, Cluster>();
  for (const record of records) {
    const unique = new Map<string, string>();
    for (const { namespace, value } of record.identities)
      if (rules.get(namespace)?.unique) unique.set(namespace, value);
    const identities = new Set(record.identities.map((i) => `${i.namespace}\u0000${i.value}`));
    clusterOf.set(record.id, { minKey: record.key, unique, identities, ids: [record.id] });
  }
  const conflicts = new Map<string, StitchConflict>();
  const { edges, junk } = canonicalEdges(records, links, byId, rules, maxIdentities);
  for (const j of junk) conflicts.set(`${j.namespace}\u0000${j.value}\u0000junk`, j);
  for (const edge of edges) {
    const a = clusterOf.get(edge.from)!;
    const b = clusterOf.get(edge.to)!;
    if (a === b) continue;
    const refusal = mergeRefusal(a, b, maxIdentities);
    if (refusal) {
      const id = `${edge.namespace}\u0000${edge.value}\u0000${refusal}`;
      const existing = conflicts.get(id);
      const keys = [...new Set([...(existing?.recordKeys ?? []), edge.fromKey, edge.toKey])].sort().slice(0, 20);
      conflicts.set(id, { namespace: edge.namespace, value: edge.value, reason: refusal, recordKeys: keys });
      continue;
    }
    merge(a, b, clusterOf);
  }
  const canonicalKeyOf = new Map<number, string>();
  for (const [id, cluster] of clusterOf) canonicalKeyOf.set(id, cluster.minKey);
  return { canonicalKeyOf, conflicts: [...conflicts.values()] };
}

interface Edge {
  from: number;
  to: number;
  fromKey: string;
  toKey: string;
  namespace: string;
  value: string;
  rank: number;
}

/**
 * Every record with an identity is linked to the first (smallest key) record with it; explicit links
 * rank first. A value shared by more records than a profile may hold identities is junk (a
 * placeholder email, a shared switchboard number): it links nothing and is reported.
 */
function canonicalEdges(
  records: readonly StitchRecord[],
  links: readonly StitchLink[],
  byId: ReadonlyMap<number, StitchRecord>,
  rules: ReadonlyMap<string, NamespaceRule>,
  maxIdentities: number,
): { edges: Edge[]; junk: StitchConflict[] } {
  const groups = new Map<string, number[]>();
  for (const record of records) {
    for (const { namespace, value } of record.identities) {
      const id = `${namespace}\u0000${value}`;
      const group = groups.get(id);
      if (group) group.push(record.id);
      else groups.set(id, [record.id]);
    }
  }
  const edges: Edge[] = links.map((l) => ({
    ...l,
    fromKey: byId.get(l.from)!.key,
    toKey: byId.get(l.to)!.key,
    rank: Number.MAX_SAFE_INTEGER,
  }));
  const junk: StitchConflict[] = [];
  for (const [id, members] of groups) {
    if (members.length < 2) continue;
    const [namespace, value] = id.split('\u0000') as [string, string];
    if (members.length > maxIdentities) {
      const sample = members
        .map((m) => byId.get(m)!.key)
        .sort()
        .slice(0, 5);
      junk.push({
        namespace,
        value,
        reason: `shared by ${members.length} records, more than maxIdentitiesPerGraph ${maxIdentities}: treated as junk, links nothing`,
        recordKeys: sample,
      });
      continue;
    }
    const sorted = members.map((m) => byId.get(m)!).sort((x, y) => compare(x.key, y.key));
    const rank = rules.get(namespace)?.priority ?? 0;
    // Every pair, not a star from the first holder: if the first holder conflicts with two others,
    // those two may still merge with each other. Groups hold at most maxIdentities records.
    for (const [i, from] of sorted.entries())
      for (const to of sorted.slice(i + 1))
        edges.push({ from: from.id, to: to.id, fromKey: from.key, toKey: to.key, namespace, value, rank });
  }
  edges.sort(
    (x, y) =>
      y.rank - x.rank ||
      compare(x.namespace, y.namespace) ||
      compare(x.value, y.value) ||
      compare(x.fromKey, y.fromKey) ||
      compare(x.toKey, y.toKey),
  );
  return { edges, junk };
}

function mergeRefusal(a: Cluster, b: Cluster, maxIdentities: number): string | undefined {
  // Namespaces in a fixed order, so the reason (stored, and part of the conflict's identity) does
  // not depend on the order records or identities arrived in.
  for (const namespace of [...new Set([...a.unique.keys(), ...b.unique.keys()])].sort(compare)) {
    const value = a.unique.get(namespace);
    const other = b.unique.get(namespace);
    if (value !== undefined && other !== undefined && other !== value)
      return `would give one profile two ${namespace} values (${[value, other].sort().join(', ')}), and ${namespace} is unique`;
  }
  let count = a.identities.size;
  for (const identity of b.identities) if (!a.identities.has(identity)) count++;
  if (count > maxIdentities)
    return `would give one profile ${count} identities, over maxIdentitiesPerGraph ${maxIdentities}`;
  return undefined;
}

/** Merges the smaller cluster into the bigger (union by size: each record is relabelled O(log n) times). */
function merge(a: Cluster, b: Cluster, clusterOf: Map<number, Cluster>): void {
  const [big, small] = a.ids.length >= b.ids.length ? [a, b] : [b, a];
  for (const [namespace, value] of small.unique) big.unique.set(namespace, value);
  for (const identity of small.identities) big.identities.add(identity);
  for (const id of small.ids) clusterOf.set(id, big);
  big.ids.push(...small.ids);
  if (compare(small.minKey, big.minKey) < 0) big.minKey = small.minKey;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
