import { Pool } from 'pg';
import type { ObjectMapping } from '../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { assertSecretsSet } from '../config/resolve-secret';
import type { Queryable } from '../runtime/queryable';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { type IngestProgress, type IngestResult, ingestObjects, type ObjectInput } from './ingest-objects';
import { readWatermarks } from './ingest-run-sql';
import { readFileObject } from './read-file-object';
import { readMarketoObject } from './read-marketo-object';
import { readPostgresObject } from './read-postgres-object';
import { readSalesforceObject } from './read-salesforce-object';
import type { ReadItem, ReadLimits } from './source-record';
import { SourceRunError } from './source-run-error';

export interface RunSourceOptions {
  trigger: 'manual' | 'schedule' | 'job';
  /** Environment secrets are resolved from (`secret://NAME` -> env.NAME). */
  env: NodeJS.ProcessEnv;
  onProgress?: (progress: IngestProgress) => void;
  /** Ignore stored watermarks and read everything (a full re-ingest; unchanged records still write nothing). */
  full?: boolean;
  /**
   * Roster's pool, needed when `db` is a client (the caller's transaction) and the source is
   * Marketo: the instance's limits are counted on small pools of their own beside it, outside any
   * transaction (decision 39). Defaults to `db` when it is a pool.
   */
  pool?: Pool;
}

/**
 * `source.ingest`: reads the applied source (the registry's current revision, never a copy), pulls
 * each object incrementally from its stored watermark, and loads it in one run (in the caller's
 * transaction when `db` is a client in one).
 */
export async function runSourceIngest(
  db: Queryable,
  sandbox: string,
  sourceName: string,
  options: RunSourceOptions,
): Promise<IngestResult> {
  const config = await readAppliedConfig(db, sandbox);
  const source = config.sources.get(sourceName);
  if (!source) {
    const known = [...config.sources.keys()].join(', ') || 'none';
    throw new SourceRunError(
      `Source/${sourceName} is not applied to sandbox ${sandbox} (applied sources: ${known}); apply it first with roster apply`,
    );
  }
  if (source.spec.type === 'http') {
    throw new SourceRunError(
      `Source/${sourceName} is an http source: clients push batches to roster run's endpoint POST /v1/sources/${sourceName}/batches; there is nothing to pull`,
    );
  }
  const spec = source.spec;
  assertSecretsSet(spec.file ?? spec.marketo ?? spec.salesforce ?? spec.postgres, options.env, `Source/${sourceName}`);
  const watermarks = options.full ? new Map<string, string>() : await readWatermarks(db, sandbox, sourceName);
  const pool = options.pool ?? (db instanceof Pool ? db : undefined);
  const limits: ReadLimits = { maxRecordBytes: source.spec.badRecords?.maxRecordBytes ?? 1024 * 1024 };
  const inputs: ObjectInput[] = source.spec.objects.map((object) => {
    const since = watermarks.get(object.name);
    return {
      object: object.name,
      items: readObject(source, object, config.catalog, limits, since, { env: options.env, pool }),
      ...(since ? { sinceWatermark: since } : {}),
    };
  });
  return ingestObjects(db, sandbox, source, config.catalog, inputs, {
    trigger: options.trigger,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

function readObject(
  source: Parameters<typeof readFileObject>[0],
  object: ObjectMapping,
  catalog: AttributeCatalog,
  limits: ReadLimits,
  since: string | undefined,
  context: { env: NodeJS.ProcessEnv; pool: Pool | undefined },
): AsyncIterable<ReadItem> {
  const { env } = context;
  switch (source.spec.type) {
    case 'file':
      return readFileObject(source, object, limits);
    case 'marketo':
      if (!context.pool)
        throw new SourceRunError(
          `Source/${source.name} is a Marketo source: run it with Roster's pool (options.pool), which its instance limits need`,
        );
      return readMarketoObject(source, object, catalog, limits, since, { env, pool: context.pool });
    case 'salesforce':
      return readSalesforceObject(source, object, catalog, limits, since, env);
    case 'postgres':
      return readPostgresObject(source, object, limits, since, env);
    default:
      throw new SourceRunError(
        `Source/${source.name} has type ${source.spec.type}, which roster source run cannot read yet`,
      );
  }
}
