import type { Queryable } from '../runtime/queryable';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { type AppliedSegment, toAppliedSegment } from './read-applied-segments';

/**
 * One applied segment by name, as `readAppliedSegments` returns it, or undefined when it is not
 * applied. A `segment.evaluate` job needs only its own segment: checking every segment's condition
 * and ordering them cost 57-160 ms per job at 1,000 segments. The registry rows are still read
 * whole, because the catalog the condition is checked against is built from the applied sources.
 */
export async function readAppliedSegment(
  db: Queryable,
  sandbox: string,
  name: string,
): Promise<AppliedSegment | undefined> {
  const config = await readAppliedConfig(db, sandbox);
  const row = config.resources.find((r) => r.kind === 'Segment' && r.name === name);
  return row ? toAppliedSegment(row, config) : undefined;
}
