import type { ResourceKey } from '../config/resource';
import type { ResourceGraph } from '../graph/build-graph';
import type { PlannedChange } from './plan';

/** A segment whose members a plan changes: its own definition (`via` empty), or segments it references. */
export interface ImpactedSegment {
  name: string;
  /** The changed segments it reads members of, directly or through others; empty when it changes itself. */
  via: string[];
}

/**
 * Pure: the segments whose members applying `changes` would change, in dependency order: every
 * created, updated or replaced segment, and every segment that references one of them, directly or
 * through others (`inSegment`), since its members are computed from theirs.
 */
export function impactedSegments(changes: readonly PlannedChange[], graph: ResourceGraph): ImpactedSegment[] {
  const changed = new Set<ResourceKey>(
    changes.filter((c) => c.kind === 'Segment' && c.action !== 'delete').map((c) => c.key),
  );
  const via = new Map<ResourceKey, string[]>();
  // `order` puts every resource after its dependencies, so one pass reaches dependents of dependents.
  for (const key of graph.order) {
    if (!key.startsWith('Segment/')) continue;
    if (changed.has(key)) {
      via.set(key, []);
      continue;
    }
    const reached = new Set<string>();
    for (const dep of graph.dependencies.get(key) ?? []) {
      if (changed.has(dep)) reached.add(dep.slice('Segment/'.length));
      for (const name of via.get(dep) ?? []) reached.add(name);
    }
    if (reached.size > 0) via.set(key, [...reached].sort());
  }
  return graph.order
    .filter((key) => via.has(key))
    .map((key) => ({ name: key.slice('Segment/'.length), via: via.get(key)! }));
}

/** Pure: the names of `impactedSegments`, what apply evaluates after applying. */
export function segmentsToEvaluate(changes: readonly PlannedChange[], graph: ResourceGraph): string[] {
  return impactedSegments(changes, graph).map((s) => s.name);
}
