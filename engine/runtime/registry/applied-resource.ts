import type { ResourceDocument, ResourceKind } from '../../config/resource';

/** The current registry row of a resource: what is applied in a sandbox. */
export interface AppliedResource {
  kind: ResourceKind;
  name: string;
  revision: number;
  specHash: string;
  document: ResourceDocument;
  sourceFile: string | null;
  managedBy: 'pulumi' | 'roster';
  /** ISO 8601. */
  appliedAt: string;
  appliedBy: string;
  gitCommit: string | null;
  /** Absolute config directory at apply time (file sources resolve their baseDir against it). */
  configRoot: string | null;
}
