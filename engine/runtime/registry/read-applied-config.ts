import type { IdentityMappingSpec, SourceSpec } from '../../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../../catalog/attribute-catalog';
import { buildCatalog } from '../../catalog/build-catalog';
import type { Resource } from '../../config/resource';
import type { Queryable } from '../queryable';
import type { AppliedResource } from './applied-resource';
import { readAppliedResources } from './read-registry';

/** A source as jobs see it: its applied spec and where its files are resolved from. */
export interface AppliedSource {
  name: string;
  spec: SourceSpec;
  revision: number;
  /** Directory of the resource file at apply time (file sources resolve `baseDir` against it). */
  resourceDir: string | undefined;
  identityMapping?: { name: string; spec: IdentityMappingSpec };
}

/** The applied configuration of a sandbox, as jobs read it: always the current revisions, never a payload copy. */
export interface AppliedConfig {
  resources: AppliedResource[];
  sources: ReadonlyMap<string, AppliedSource>;
  catalog: AttributeCatalog;
}

export async function readAppliedConfig(db: Queryable, sandbox: string): Promise<AppliedConfig> {
  const resources = await readAppliedResources(db, sandbox);
  const mappings = resources.filter((r) => r.kind === 'IdentityMapping');
  const sources = new Map<string, AppliedSource>();
  for (const row of resources.filter((r) => r.kind === 'Source')) {
    const mapping = mappings.find((m) =>
      (m.document.spec as unknown as IdentityMappingSpec).sources.includes(row.name),
    );
    sources.set(row.name, {
      name: row.name,
      spec: row.document.spec as unknown as SourceSpec,
      revision: row.revision,
      resourceDir: row.configRoot && row.sourceFile ? dirOf(row.configRoot, row.sourceFile) : undefined,
      ...(mapping
        ? { identityMapping: { name: mapping.name, spec: mapping.document.spec as unknown as IdentityMappingSpec } }
        : {}),
    });
  }
  // Applied documents passed validation when they were applied: origins are only needed for problems.
  const asResources = resources.map(
    (r) => ({ ...r.document, name: r.name, key: `${r.kind}/${r.name}`, origin: NO_ORIGIN }) as unknown as Resource,
  );
  return { resources, sources, catalog: buildCatalog(asResources).catalog };
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
