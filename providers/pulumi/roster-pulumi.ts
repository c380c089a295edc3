/**
 * `roster-cdp/pulumi`: what a Pulumi program imports. `RosterProject` declares a config directory;
 * the typed classes declare resources in code next to it. The stack name is the sandbox; the
 * database is the stack's secret config `roster:databaseUrl`.
 */

export type * from '../../schemas/generated/resource-types';
export { ROSTER_PROJECT_TYPE, RosterProject, type RosterProjectArgs } from './roster-project';
export {
  Destination,
  type DestinationArgs,
  IdentityMapping,
  type IdentityMappingArgs,
  type RosterArgs,
  Segment,
  type SegmentArgs,
  Source,
  type SourceArgs,
} from './typed-resources';
