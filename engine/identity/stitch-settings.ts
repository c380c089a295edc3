import type { IdentityMappingSpec } from '../../schemas/generated/resource-types';

/** Stitch settings of a sandbox: its identity mapping (there is one per source; merged for stitching). */
export interface StitchSettings {
  mappings: readonly IdentityMappingSpec[];
  /** Source name -> rank in attribute merge priority (0 first). */
  sourceRank: ReadonlyMap<string, number>;
}
