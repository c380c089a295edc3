import type { SegmentBinding } from '../../schemas/generated/resource-types';
import type { ResourceGraph } from '../graph/build-graph';
import type { DestinationImpact, PlannedChange, SegmentImpact } from './plan';

/** How a destination's bindings change: segments it starts activating, and those it stops activating. */
export interface BindingChange {
  /** Newly bound: the destination receives the segment's members (backfill). */
  bound: string[];
  /** No longer bound, with `onRemove: keep` ones left out: their members are taken out. */
  unbound: string[];
}

/** What a segment holds now (its membership), in persons sent: for account audiences, the activated persons. */
export type CurrentMembers = ReadonlyMap<string, number>;

/** Pure: for each created, updated or replaced destination, the segments it starts and stops activating. */
export function bindingChanges(changes: readonly PlannedChange[]): Map<string, BindingChange> {
  const result = new Map<string, BindingChange>();
  for (const change of changes) {
    if (change.kind !== 'Destination' || change.action === 'delete') continue;
    const before = bindingsOf(change.before?.document.spec);
    const after = bindingsOf(change.after?.document.spec);
    const bound = after.filter((b) => !before.some((o) => o.segment === b.segment)).map((b) => b.segment);
    const unbound = before
      .filter((b) => !after.some((n) => n.segment === b.segment) && b.onRemove !== 'keep')
      .map((b) => b.segment);
    if (bound.length + unbound.length > 0) result.set(change.name, { bound, unbound });
  }
  return result;
}

function bindingsOf(spec: Record<string, unknown> | undefined): SegmentBinding[] {
  return (spec?.segments as SegmentBinding[] | undefined) ?? [];
}

/**
 * Pure: for every destination of the files bound to an impacted segment, or whose bindings change,
 * the persons it would be sent as entering (adds) and exiting (removes). A person audience sends its
 * subjects; an account audience the persons of its accounts. A newly bound segment is backfilled
 * with all its members (after the change, when it is impacted), an unbound one taken out whole.
 * One count per binding, as the outbox holds one change per destination, segment and subject.
 */
export function destinationImpacts(
  graph: ResourceGraph,
  segments: readonly SegmentImpact[],
  bindings: ReadonlyMap<string, BindingChange> = new Map(),
  current: CurrentMembers = new Map(),
): DestinationImpact[] {
  const bySegment = new Map(segments.map((s) => [s.segment, s]));
  const impacts: DestinationImpact[] = [];
  for (const key of graph.order) {
    const resource = graph.resources.get(key)!;
    if (resource.kind !== 'Destination') continue;
    const change = bindings.get(resource.name) ?? { bound: [], unbound: [] };
    const kept = resource.spec.segments
      .map((b) => bySegment.get(b.segment))
      .filter((s) => s !== undefined && !change.bound.includes(s.segment)) as SegmentImpact[];
    const backfilled = change.bound.map((name) => afterCount(bySegment.get(name)) ?? current.get(name) ?? 0);
    const taken = change.unbound.map((name) => current.get(name) ?? 0);
    if (kept.length + change.bound.length + change.unbound.length === 0) continue;
    impacts.push({
      destination: resource.name,
      segments: [
        ...kept.map((s) => s.segment),
        ...change.bound.map((s) => `${s} (newly bound)`),
        ...change.unbound.map((s) => `${s} (unbound)`),
      ],
      adds: sum([...kept.map((s) => s.persons?.entering ?? s.entered), ...backfilled]),
      removes: sum([...kept.map((s) => s.persons?.exiting ?? s.exited), ...taken]),
    });
  }
  return impacts;
}

function afterCount(segment: SegmentImpact | undefined): number | undefined {
  return segment === undefined ? undefined : (segment.persons?.after ?? segment.sizeAfter);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
