import type { Queryable } from '../runtime/queryable';
import { toAppliedConfig } from '../runtime/registry/read-applied-config';
import { readSegmentRegistryRows } from '../runtime/registry/read-registry';
import { type AppliedSegment, toAppliedSegment } from './read-applied-segments';

/**
 * One applied segment by name, as `readAppliedSegments` returns it, or undefined when it is not
 * applied. A `segment.evaluate` job needs only its own segment: checking every segment's condition
 * and ordering them cost 57-160 ms per job at 1,000 segments. It reads the segment's row, the
 * sources (the catalog its condition is checked against comes from them) and the destinations that
 * activate it, not the other segments.
 */
export async function readAppliedSegment(
  db: Queryable,
  sandbox: string,
  name: string,
): Promise<AppliedSegment | undefined> {
  const config = toAppliedConfig(await readSegmentRegistryRows(db, sandbox, name));
  const segment = config.segments.get(name);
  return segment ? toAppliedSegment(segment, config.catalog, [...config.destinations.values()]) : undefined;
}
