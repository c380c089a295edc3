import type { ResourceKey } from '../config/resource';

/**
 * A resource whose runtime document is not what the last apply recorded: changed outside Roster.
 * In a file of its own because the plan holds these and `findDrift` reads the plan's action type.
 */
export interface DriftedResource {
  key: ResourceKey;
  /** What differs, in a reviewer's words. */
  reason: string;
}
