import * as pulumi from '@pulumi/pulumi';
import type { ResourceDocument, ResourceKind } from '../../engine/config/resource';
import { contentHash, sortKeys } from '../../engine/util/canonical-json';
import type {
  DestinationSpec,
  IdentityMappingSpec,
  Metadata,
  SegmentSpec,
  SourceSpec,
} from '../../schemas/generated/resource-types';
import { RESOURCE_CLASSES, type RosterResourceArgs } from '../roster-resources';
import { secretDatabaseUrl } from './secret-database-url';

/**
 * What a Pulumi program says about one Roster resource: the document of a resource file without
 * its envelope (the kind is the class, the name is the resource's Pulumi name). The spec types are
 * generated from the JSON Schemas (schemas/generated/resource-types.ts), so an editor checks a
 * TypeScript-declared segment against the same rules as a file.
 */
export interface RosterArgs<Spec> {
  metadata?: Omit<Metadata, 'name'>;
  spec: Spec;
  /** Where relative paths of a file source resolve; default the program's working directory. */
  configRoot?: string;
  /** The runtime database, instead of the stack's `roster:databaseUrl`; kept as a Pulumi secret. */
  databaseUrl?: pulumi.Input<string>;
}

export type SourceArgs = RosterArgs<SourceSpec>;
export type IdentityMappingArgs = RosterArgs<IdentityMappingSpec>;
export type SegmentArgs = RosterArgs<SegmentSpec>;
export type DestinationArgs = RosterArgs<DestinationSpec>;

/** The provider inputs of a resource declared in code, as `toResourceInputs` makes them from a file. */
function codeInputs(kind: ResourceKind, name: string, args: RosterArgs<unknown>): RosterResourceArgs {
  const document = sortKeys({
    apiVersion: 'roster/v1',
    kind,
    metadata: { ...args.metadata, name },
    spec: args.spec,
  }) as ResourceDocument;
  return {
    sandbox: pulumi.getStack(),
    kind,
    name,
    document,
    specHash: contentHash(document),
    sourceFile: '',
    managedBy: 'pulumi',
    configRoot: args.configRoot ?? process.cwd(),
    ...secretDatabaseUrl(args.databaseUrl),
  };
}

/** A Source declared in code: `new Source('crm', { spec: { type: 'file', ... } })`. */
export class Source extends RESOURCE_CLASSES.Source {
  constructor(name: string, args: SourceArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, codeInputs('Source', name, args), opts);
  }
}

export class IdentityMapping extends RESOURCE_CLASSES.IdentityMapping {
  constructor(name: string, args: IdentityMappingArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, codeInputs('IdentityMapping', name, args), opts);
  }
}

/** A Segment declared in code; its references to other resources are by name, as in files. */
export class Segment extends RESOURCE_CLASSES.Segment {
  constructor(name: string, args: SegmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, codeInputs('Segment', name, args), opts);
  }
}

export class Destination extends RESOURCE_CLASSES.Destination {
  constructor(name: string, args: DestinationArgs, opts?: pulumi.CustomResourceOptions) {
    super(name, codeInputs('Destination', name, args), opts);
  }
}
