import type { Pool } from 'pg';
import type { AttributeCatalog } from '../../engine/catalog/attribute-catalog';
import { formatProblem } from '../../engine/config/problem';
import type { SourceResourceItem } from '../../engine/config/resource';
import { type IngestResult, ingestObjects } from '../../engine/ingest/ingest-objects';
import { readFileObject } from '../../engine/ingest/read-file-object';
import type { ReadItem } from '../../engine/ingest/source-record';
import { validateConfig } from '../../engine/rules/validate-config';
import type { AppliedSource } from '../../engine/runtime/registry/read-applied-config';
import { configFromText } from './config-from-text';

/** A Source as the ingestion job gets it from the registry, built in-process from its YAML. */
export interface LoadedSource {
  source: AppliedSource;
  catalog: AttributeCatalog;
}

/**
 * Parses and validates one Source document (failing with the problems when it is not valid) and
 * returns it as applied, its file-source `baseDir` resolved against `resourceDir`. The tests that
 * run hundreds of generated inputs call the engine's ingestion directly rather than one `roster`
 * process per input; the same reader, mapping, staging and merge code runs.
 */
export function sourceFromYaml(yaml: string, resourceDir = '/nonexistent'): LoadedSource {
  const { resources, problems } = configFromText({ 'source.yaml': yaml });
  const validated = validateConfig(resources);
  const all = [...problems, ...validated.problems];
  if (all.length > 0) throw new Error(`invalid test source:\n${all.map(formatProblem).join('\n')}`);
  const resource = resources.find((r): r is SourceResourceItem => r.kind === 'Source')!;
  return {
    source: { name: resource.metadata.name, spec: resource.spec, revision: 1, resourceDir },
    catalog: validated.catalog,
  };
}

/** One run over every object's files, as `roster source run` reads them. */
export async function ingestFiles(pool: Pool, sandbox: string, loaded: LoadedSource): Promise<IngestResult> {
  const limits = { maxRecordBytes: loaded.source.spec.badRecords?.maxRecordBytes ?? 1024 * 1024 };
  const inputs = loaded.source.spec.objects.map((object) => ({
    object: object.name,
    items: readFileObject(loaded.source, object, limits),
  }));
  return ingestObjects(pool, sandbox, loaded.source, loaded.catalog, inputs, { trigger: 'manual' });
}

/** One run over records given as values (as an API reader would yield them), origin `api`, into `object` (default the first). */
export async function ingestValues(
  pool: Pool,
  sandbox: string,
  loaded: LoadedSource,
  records: readonly Record<string, unknown>[],
  object: string = loaded.source.spec.objects[0]!.name,
): Promise<IngestResult> {
  async function* items(): AsyncGenerator<ReadItem> {
    for (const [index, fields] of records.entries())
      yield { record: { fields, position: { origin: 'api', index }, bytes: 0 } };
  }
  return ingestObjects(pool, sandbox, loaded.source, loaded.catalog, [{ object, items: items() }], {
    trigger: 'manual',
  });
}
