import type {
  DestinationSpec,
  IdentityMappingSpec,
  Metadata,
  SegmentSpec,
  SourceSpec,
} from '../../schemas/generated/resource-types';
import type { LineColumn } from './line-column';
import type { ResourceKind } from './schema-validator';

export type { ResourceKind };

/** A resource as the registry stores it and providers receive it: the file's document, canonical
 * (`toResourceDocument` in engine/plan makes it; the registry in engine/runtime keeps it). */
export interface ResourceDocument {
  apiVersion: 'roster/v1';
  kind: ResourceKind;
  metadata: Metadata;
  spec: Record<string, unknown>;
}

/** `Kind/name`, the identity of a resource across files, plans and the registry. */
export type ResourceKey = `${ResourceKind}/${string}`;

/** Where a resource was declared, and how to find any of its fields again. */
export interface ResourceOrigin {
  /** File as shown to the user. */
  file: string;
  /** File relative to the config root, `/`-separated. */
  relativePath: string;
  /** Index of the document in the file. */
  documentIndex: number;
  /** Pointer of the resource inside the document (`''`, or `/3` for the 4th entry of a JSON array). */
  pointerPrefix: string;
  /** Position of a pointer relative to the resource (`/spec/where`). */
  locate(pointer: string): LineColumn;
}

interface ResourceOf<K extends ResourceKind, S> {
  kind: K;
  name: string;
  key: ResourceKey;
  metadata: Metadata;
  spec: S;
  origin: ResourceOrigin;
}

export type SourceResourceItem = ResourceOf<'Source', SourceSpec>;
export type IdentityMappingResourceItem = ResourceOf<'IdentityMapping', IdentityMappingSpec>;
export type SegmentResourceItem = ResourceOf<'Segment', SegmentSpec>;
export type DestinationResourceItem = ResourceOf<'Destination', DestinationSpec>;

/** A schema-valid resource, with the place it was declared. */
export type Resource = SourceResourceItem | IdentityMappingResourceItem | SegmentResourceItem | DestinationResourceItem;

export function resourceKey(kind: ResourceKind, name: string): ResourceKey {
  return `${kind}/${name}`;
}
