import type {
  DestinationSpec,
  IdentityMappingSpec,
  SegmentSpec,
  SourceSpec,
} from '../../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../../catalog/attribute-catalog';
import { buildCatalog } from '../../catalog/build-catalog';
import type { ResourceKind, SourceResourceItem } from '../../config/resource';
import type { Queryable } from '../queryable';
import type { AppliedResource } from './applied-resource';
import { readAppliedResources } from './read-registry';

/** An applied resource as jobs and commands read it: the current revision and its typed spec. */
export interface AppliedSpec<S> {
  name: string;
  revision: number;
  spec: S;
}

/** A source as jobs see it: its applied spec and where its files are resolved from. */
export interface AppliedSource extends AppliedSpec<SourceSpec> {
  /** Directory of the resource file at apply time (file sources resolve `baseDir` against it). */
  resourceDir: string | undefined;
  identityMapping?: { name: string; spec: IdentityMappingSpec };
}

export type AppliedIdentityMapping = AppliedSpec<IdentityMappingSpec>;
export type AppliedSegmentSpec = AppliedSpec<SegmentSpec>;
/** A destination as the delivery worker sees it: always the applied revision, never a job's copy. */
export type AppliedDestination = AppliedSpec<DestinationSpec>;

/**
 * The applied configuration of a sandbox, typed by kind, each map in name order: always the current
 * revisions, never a payload copy. The one reader of the registry for segments, destinations,
 * ingestion and stitching (decision 59).
 */
export interface AppliedConfig {
  sources: ReadonlyMap<string, AppliedSource>;
  identityMappings: ReadonlyMap<string, AppliedIdentityMapping>;
  segments: ReadonlyMap<string, AppliedSegmentSpec>;
  destinations: ReadonlyMap<string, AppliedDestination>;
  /** The built-in attributes and the applied sources' custom fields. */
  catalog: AttributeCatalog;
}

export async function readAppliedConfig(db: Queryable, sandbox: string): Promise<AppliedConfig> {
  return toAppliedConfig(await readAppliedResources(db, sandbox));
}

/** The typed configuration of registry rows (all of a sandbox's, or the ones a narrower read needs). */
export function toAppliedConfig(rows: readonly AppliedResource[]): AppliedConfig {
  const identityMappings = byName(rows, 'IdentityMapping', (row) => applied<IdentityMappingSpec>(row));
  const sources = byName(rows, 'Source', (row): AppliedSource => {
    const mapping = [...identityMappings.values()].find((m) => m.spec.sources.includes(row.name));
    return {
      ...applied<SourceSpec>(row),
      resourceDir: row.configRoot && row.sourceFile ? dirOf(row.configRoot, row.sourceFile) : undefined,
      ...(mapping ? { identityMapping: { name: mapping.name, spec: mapping.spec } } : {}),
    };
  });
  return {
    sources,
    identityMappings,
    segments: byName(rows, 'Segment', (row) => applied<SegmentSpec>(row)),
    destinations: byName(rows, 'Destination', (row) => applied<DestinationSpec>(row)),
    catalog: catalogOf(rows),
  };
}

/**
 * The attribute catalog of the applied sources. Applied documents passed validation when they were
 * applied: the catalog's problems (and so the sources' origins) are not needed here.
 */
function catalogOf(rows: readonly AppliedResource[]): AttributeCatalog {
  const sources = rows
    .filter((row) => row.kind === 'Source')
    .map(
      (row): SourceResourceItem => ({
        kind: 'Source',
        name: row.name,
        key: `Source/${row.name}`,
        metadata: row.document.metadata,
        spec: applied<SourceSpec>(row).spec,
        origin: NO_ORIGIN,
      }),
    );
  return buildCatalog(sources).catalog;
}

/**
 * A registry row with its spec typed. The registry holds only documents that passed their kind's
 * JSON Schema when they were applied (the generated types are that schema), so this is the one
 * place its JSON is taken as typed.
 */
function applied<S>(row: AppliedResource): AppliedSpec<S> {
  return { name: row.name, revision: row.revision, spec: row.document.spec as unknown as S };
}

function byName<T>(
  rows: readonly AppliedResource[],
  kind: ResourceKind,
  convert: (row: AppliedResource) => T,
): ReadonlyMap<string, T> {
  const ofKind = rows.filter((row) => row.kind === kind).sort((a, b) => (a.name < b.name ? -1 : 1));
  return new Map(ofKind.map((row) => [row.name, convert(row)]));
}

const NO_ORIGIN = {
  file: '(registry)',
  relativePath: '',
  documentIndex: 0,
  pointerPrefix: '',
  locate: () => ({ line: 0, column: 0 }),
};

function dirOf(root: string, file: string): string {
  const parts = file.split('/');
  parts.pop();
  return [root, ...parts].join('/');
}
