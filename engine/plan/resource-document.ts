import type { Resource, ResourceDocument, ResourceKind } from '../config/resource';
import { contentHash, sortKeys } from '../util/canonical-json';

/**
 * The inputs of a provider call: the document plus where it goes and where it came from. JSON-safe
 * (no undefined, no Date), as Pulumi's protocol requires.
 */
export interface ResourceInputs {
  sandbox: string;
  kind: ResourceKind;
  name: string;
  document: ResourceDocument;
  /** `sha256:` of the document; what diffs compare. */
  specHash: string;
  /** File that declared the resource, relative to the config directory (a file source reads relative to it). */
  sourceFile: string;
  /** Who drives the provider: `pulumi` (pulumi up) or `roster` (roster apply). Not compared by diff. */
  managedBy: 'pulumi' | 'roster';
  /** Commit of the config directory when it is a git checkout. Not compared by diff. */
  gitCommit?: string;
  /** Absolute path of the config directory, so jobs can resolve paths relative to resource files. Compared for file sources only. */
  configRoot?: string;
  /**
   * Pulumi only: the database named in the program (`RosterProject`'s `databaseUrl`), always a
   * Pulumi secret; else the provider's `roster:databaseUrl`. Never in a plan. Not compared by diff.
   */
  databaseUrl?: string;
}

/** The canonical document of a parsed resource (keys sorted, `$schema` dropped: it is for editors). */
export function toResourceDocument(resource: Resource): ResourceDocument {
  return sortKeys({
    apiVersion: 'roster/v1',
    kind: resource.kind,
    metadata: resource.metadata,
    spec: resource.spec,
  }) as ResourceDocument;
}

export interface InputContext {
  sandbox: string;
  managedBy: 'pulumi' | 'roster';
  gitCommit?: string;
  configRoot?: string;
}

export function toResourceInputs(resource: Resource, context: InputContext): ResourceInputs {
  const document = toResourceDocument(resource);
  const inputs: ResourceInputs = {
    sandbox: context.sandbox,
    kind: resource.kind,
    name: resource.name,
    document,
    specHash: contentHash(document),
    sourceFile: resource.origin.relativePath,
    managedBy: context.managedBy,
  };
  if (context.gitCommit) inputs.gitCommit = context.gitCommit;
  if (context.configRoot) inputs.configRoot = context.configRoot;
  return inputs;
}
