import type { SegmentSpec } from '../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import type { Queryable } from '../runtime/queryable';
import { type AppliedDestination, readAppliedConfig } from '../runtime/registry/read-applied-config';

export type { AppliedDestination };

/** The applied destinations of a sandbox, with what reading their members needs. */
export interface ActivationConfig {
  /** In name order. */
  destinations: AppliedDestination[];
  segments: ReadonlyMap<string, SegmentSpec>;
  catalog: AttributeCatalog;
}

export async function readActivationConfig(db: Queryable, sandbox: string): Promise<ActivationConfig> {
  const config = await readAppliedConfig(db, sandbox);
  return {
    destinations: [...config.destinations.values()],
    segments: new Map([...config.segments.values()].map((segment) => [segment.name, segment.spec])),
    catalog: config.catalog,
  };
}
