import type { PoolClient } from 'pg';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { identityRules, normalizeIdentity } from '../identity/normalize-identity';
import type { Queryable } from '../runtime/queryable';
import type { AppliedSource } from '../runtime/registry/read-applied-config';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { withTransaction } from '../runtime/with-transaction';
import { compileMapping } from './compile-mapping';
import {
  finishIngestRun,
  type IngestCounts,
  type QuarantinedRecord,
  startIngestRun,
  storeWatermark,
  writeQuarantine,
} from './ingest-run-sql';
import { mapRecord } from './map-record';
import { mergeStaged } from './merge-staged';
import { RowStager } from './row-stager';
import type { BadRecord, ReadItem } from './source-record';

/** The records of one object of a source, as a reader yields them. */
export interface ObjectInput {
  object: string;
  items: AsyncIterable<ReadItem>;
  /** Records at or below it are skipped (already ingested); undefined reads everything. */
  sinceWatermark?: string;
}

export interface IngestProgress extends IngestCounts {
  elapsedMs: number;
}

export interface IngestResult extends IngestCounts {
  runId: number;
  status: 'succeeded' | 'failed';
  deleted: number;
  error?: string;
}

/** Detailed quarantine rows kept per run; beyond it only the count grows (memory stays bounded). */
const MAX_QUARANTINE_ROWS = 10_000;

/**
 * One ingestion run: every object's records mapped, staged with COPY and merged set-based in ONE
 * transaction. Bad records are quarantined with their reason; if their share exceeds the source's
 * `maxErrorRatio`, the transaction rolls back whole and the run is failed with the reason. The
 * run row and the quarantine are written outside the load transaction, so they survive a rollback
 * (given a client in the caller's transaction, the load is a savepoint of it, and the run row and
 * the quarantine are the caller's to commit).
 */
export async function ingestObjects(
  db: Queryable,
  sandbox: string,
  source: AppliedSource,
  catalog: AttributeCatalog,
  inputs: readonly ObjectInput[],
  options: {
    trigger: 'manual' | 'schedule' | 'push' | 'job';
    onProgress?: (progress: IngestProgress) => void;
    /** Called with every bad record, including those past the stored quarantine's cap. */
    onQuarantine?: (bad: BadRecord) => void;
  },
): Promise<IngestResult> {
  const runId = await startIngestRun(db, sandbox, source.name, options.trigger);
  const started = Date.now();
  const counts = { read: 0, written: 0, unchanged: 0, quarantined: 0, deleted: 0 };
  const quarantine: QuarantinedRecord[] = [];
  const rules = identityRules(source.identityMapping?.spec);
  const eventNamespaces = [...rules.namespaces.values()]
    .filter((n) => n.entity === 'person')
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))
    .map((n) => n.name);
  const maxErrorRatio = source.spec.badRecords?.maxErrorRatio ?? 0.01;
  let error: string | undefined;
  let lastReport = 0;
  const report = () => options.onProgress?.({ ...counts, elapsedMs: Date.now() - started });
  try {
    await withTransaction(db, async (client) => {
      await claimSource(client, sandbox, source.name, runId);
      for (const input of inputs) {
        const object = source.spec.objects.find((o) => o.name === input.object)!;
        const mapping = compileMapping(source, object, catalog, new Date(started));
        const stager = new RowStager(client, mapping, (ns, v) => normalizeIdentity(rules, ns, v), eventNamespaces);
        await stager.open();
        let watermark = input.sinceWatermark;
        for await (const item of input.items) {
          counts.read++;
          const mapped = 'bad' in item ? item : mapRecord(mapping, item.record);
          if ('bad' in mapped) {
            counts.quarantined++;
            options.onQuarantine?.(mapped.bad);
            if (quarantine.length < MAX_QUARANTINE_ROWS) quarantine.push({ ...mapped.bad, object: object.name, runId });
          } else if (
            input.sinceWatermark !== undefined &&
            mapped.row.watermark !== undefined &&
            mapped.row.watermark < input.sinceWatermark
          ) {
            counts.unchanged++;
          } else {
            await stager.add(mapped.row);
            if (mapped.row.watermark !== undefined && (watermark === undefined || mapped.row.watermark > watermark))
              watermark = mapped.row.watermark;
          }
          if (Date.now() - lastReport > 250) {
            lastReport = Date.now();
            report();
          }
        }
        await stager.flush();
        const merged = await mergeStaged(client, sandbox, mapping, runId);
        counts.written += merged.written;
        counts.unchanged += merged.unchanged;
        counts.deleted += merged.deleted;
        if (watermark !== undefined && watermark !== input.sinceWatermark)
          await storeWatermark(client, sandbox, source.name, object.name, watermark, runId);
      }
      if (counts.read > 0 && counts.quarantined / counts.read > maxErrorRatio) {
        const share = ((100 * counts.quarantined) / counts.read).toFixed(1);
        throw new ErrorRatioExceeded(
          `${counts.quarantined} of ${counts.read} records (${share}%) were quarantined, over the source's maxErrorRatio of ${maxErrorRatio}; nothing from this run was written — fix the records listed by \`roster source errors ${source.name}\` or raise badRecords.maxErrorRatio`,
        );
      }
    });
  } catch (cause) {
    error = cause instanceof Error ? cause.message : String(cause);
    counts.written = 0;
    counts.unchanged = 0;
    counts.deleted = 0;
  }
  report();
  await writeQuarantine(db, sandbox, source.name, quarantine);
  const status = error === undefined ? 'succeeded' : 'failed';
  await finishIngestRun(db, sandbox, runId, { ...counts, status, ...(error ? { error } : {}) });
  return { runId, status, ...counts, ...(error ? { error } : {}) };
}

/**
 * One run per source at a time (a transaction lock, released at commit or by a crash), and runs left
 * `running` by a process that died are closed as failed: they wrote nothing, their transaction never
 * committed.
 */
async function claimSource(client: PoolClient, sandbox: string, source: string, runId: number): Promise<void> {
  const schema = sandboxSchema(sandbox);
  await client.query("select pg_advisory_xact_lock(hashtext('roster.ingest'), hashtext($1))", [`${schema}/${source}`]);
  await client.query(
    `update ${schema}.ingest_runs set status = 'failed', finished_at = now(), error = 'interrupted: the process stopped before the run finished; nothing from it was written'
     where source = $1 and status = 'running' and run_id < $2`,
    [source, runId],
  );
}

/** The run's own verdict on its input (not a crash): reported as the run's error. */
class ErrorRatioExceeded extends Error {
  override readonly name = 'ErrorRatioExceeded';
}
