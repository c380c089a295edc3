import type { ConditionNode, EventNode } from './condition-ast';
import type { AppliedSegment } from './read-applied-segments';

/**
 * Per-person event counts computed once for a cycle of many segments (decision 74): for each
 * distinct event condition (types, window, event filter), the number of matching events of every
 * person who has one, at `now`. Segments compiled with it read a column instead of the events table.
 */
export interface SharedEventCounts {
  /** The evaluation time the counts were taken at; only a run at the same time may read them. */
  now: Date;
  /** Where each condition's count is, by `eventConditionKey`: a table of (person_id, c0, c1, ...) and a column. */
  columns: ReadonlyMap<string, { table: string; column: string }>;
}

/**
 * What makes two event conditions count the same events: their types, window and event filter.
 * The count filter is left out (each segment applies its own to the shared count), and so are the
 * nodes' positions in their files.
 */
export function eventConditionKey(node: EventNode): string {
  return JSON.stringify(
    { types: [...node.types].sort(), within: node.within ?? null, where: node.where ?? null },
    (key, value) => (key === 'pointer' ? undefined : value),
  );
}

/** Every event condition in a condition tree, also those under relations (an account's persons' events). */
export function eventConditions(node: ConditionNode): EventNode[] {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.flatMap(eventConditions);
    case 'not':
      return eventConditions(node.child);
    case 'relation':
      return node.where ? eventConditions(node.where) : [];
    case 'events':
      return [node];
    default:
      return [];
  }
}

/**
 * Whether a segment's run in a cycle reads the cycle's shared counts: batch segments only. A
 * streaming segment's members also change with each ingest, so its re-check counts its own events
 * (counts older than what streaming acted on would make members exit and re-enter).
 */
export function readsSharedCounts(segment: AppliedSegment): boolean {
  return segment.evaluation.mode === 'batch';
}

/** The event conditions a cycle of `segments` counts once: those of the segments that read the counts. */
export function sharedEventConditions(segments: readonly AppliedSegment[]): EventNode[] {
  return segments.filter(readsSharedCounts).flatMap((segment) => eventConditions(segment.where));
}
