import type { ResourceGraph } from '../graph/build-graph';
import type { DestinationImpact, SegmentImpact } from './plan';

/**
 * Pure: for every destination of the files bound to an impacted segment, the persons it would be
 * sent as entering and exiting. A person audience sends its subjects; an account audience the
 * persons of its entering and exiting accounts. One count per binding, as the outbox holds one
 * change per destination, segment and subject.
 */
export function destinationImpacts(graph: ResourceGraph, segments: readonly SegmentImpact[]): DestinationImpact[] {
  const bySegment = new Map(segments.map((s) => [s.segment, s]));
  const impacts: DestinationImpact[] = [];
  for (const key of graph.order) {
    const resource = graph.resources.get(key)!;
    if (resource.kind !== 'Destination') continue;
    const bound = resource.spec.segments.map((b) => bySegment.get(b.segment)).filter((s) => s !== undefined);
    if (bound.length === 0) continue;
    impacts.push({
      destination: resource.name,
      segments: bound.map((s) => s.segment),
      adds: sum(bound.map((s) => s.persons?.entering ?? s.entered)),
      removes: sum(bound.map((s) => s.persons?.exiting ?? s.exited)),
    });
  }
  return impacts;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
