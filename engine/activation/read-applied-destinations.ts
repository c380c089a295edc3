import type { DestinationSpec, SegmentSpec } from '../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import type { Queryable } from '../runtime/queryable';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';

/** A destination as the delivery worker sees it: always the applied revision, never a job's copy. */
export interface AppliedDestination {
  name: string;
  revision: number;
  spec: DestinationSpec;
}

/** The applied destinations of a sandbox, with what reading their members needs. */
export interface ActivationConfig {
  destinations: AppliedDestination[];
  segments: ReadonlyMap<string, SegmentSpec>;
  catalog: AttributeCatalog;
}

export async function readActivationConfig(db: Queryable, sandbox: string): Promise<ActivationConfig> {
  const config = await readAppliedConfig(db, sandbox);
  const of = (kind: string) => config.resources.filter((r) => r.kind === kind);
  return {
    destinations: of('Destination')
      .map((r) => ({ name: r.name, revision: r.revision, spec: r.document.spec as unknown as DestinationSpec }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    segments: new Map(of('Segment').map((r) => [r.name, r.document.spec as unknown as SegmentSpec])),
    catalog: config.catalog,
  };
}
