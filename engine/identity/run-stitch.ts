import type { Pool } from 'pg';
import type { IdentityMappingSpec } from '../../schemas/generated/resource-types';
import { readAppliedResources } from '../runtime/registry/read-registry';
import { type StitchResult, stitchIdentities } from './stitch-identities';

/**
 * Identity stitching of a sandbox: the applied identity mappings (current revisions) decide the
 * namespaces, merge protection and attribute priority (a source's rank is its place in its
 * mapping's `sources`).
 */
export async function runStitch(pool: Pool, sandbox: string): Promise<StitchResult[]> {
  const mappings = (await readAppliedResources(pool, sandbox))
    .filter((r) => r.kind === 'IdentityMapping')
    .map((r) => r.document.spec as unknown as IdentityMappingSpec);
  const sourceRank = new Map<string, number>();
  for (const mapping of mappings) for (const [i, source] of mapping.sources.entries()) sourceRank.set(source, i);
  return stitchIdentities(pool, sandbox, { mappings, sourceRank });
}
