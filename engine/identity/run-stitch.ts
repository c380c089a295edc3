import type { Queryable } from '../runtime/queryable';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { type StitchResult, stitchIdentities } from './stitch-identities';

/**
 * Identity stitching of a sandbox: the applied identity mappings (current revisions) decide the
 * namespaces, merge protection and attribute priority (a source's rank is its place in its
 * mapping's `sources`).
 */
export async function runStitch(db: Queryable, sandbox: string): Promise<StitchResult[]> {
  const mappings = [...(await readAppliedConfig(db, sandbox)).identityMappings.values()].map((m) => m.spec);
  const sourceRank = new Map<string, number>();
  for (const mapping of mappings) for (const [i, source] of mapping.sources.entries()) sourceRank.set(source, i);
  return stitchIdentities(db, sandbox, { mappings, sourceRank });
}
