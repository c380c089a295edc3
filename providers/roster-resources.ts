import * as pulumi from '@pulumi/pulumi';
import type { ResourceKind } from '../engine/config/resource';
import type { ResourceInputs } from '../engine/plan/resource-document';
import { registryProvider } from './registry-provider';

/** Inputs of a Roster resource as a Pulumi program gives them (any input may be an Output). */
export type RosterResourceArgs = { [K in keyof ResourceInputs]: pulumi.Input<ResourceInputs[K]> };

/**
 * Base of the four resource classes: a dynamic resource whose type token is
 * `pulumi-nodejs:dynamic/roster:<Kind>`, backed by the registry provider of that kind.
 */
abstract class RosterResource extends pulumi.dynamic.Resource {
  declare readonly revision: pulumi.Output<number>;
  declare readonly appliedAt: pulumi.Output<string>;
  declare readonly specHash: pulumi.Output<string>;

  protected constructor(
    kind: ResourceKind,
    name: string,
    args: RosterResourceArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(registryProvider(kind), name, { ...args, revision: undefined, appliedAt: undefined }, opts, 'roster', kind);
  }
}

export class Source extends RosterResource {
  constructor(name: string, args: RosterResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super('Source', name, args, opts);
  }
}

export class IdentityMapping extends RosterResource {
  constructor(name: string, args: RosterResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super('IdentityMapping', name, args, opts);
  }
}

export class Segment extends RosterResource {
  constructor(name: string, args: RosterResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super('Segment', name, args, opts);
  }
}

export class Destination extends RosterResource {
  constructor(name: string, args: RosterResourceArgs, opts?: pulumi.CustomResourceOptions) {
    super('Destination', name, args, opts);
  }
}

export const RESOURCE_CLASSES = { Source, IdentityMapping, Segment, Destination } as const;
