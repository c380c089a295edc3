import type { Pool } from 'pg';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { afterIngest } from './after-ingest';
import { type IngestResult, ingestObjects } from './ingest-objects';
import type { ReadItem } from './source-record';
import { SourceRunError } from './source-run-error';

/**
 * Ingests a batch pushed to an http source (one run, committed before this resolves, so the caller
 * can acknowledge it), then evaluates the streaming segments for the persons it touched. Records over the size guardrail or not objects are quarantined like any bad
 * record; the source's error ratio decides whether the batch commits.
 */
export async function pushRecords(
  pool: Pool,
  sandbox: string,
  sourceName: string,
  objectName: string | undefined,
  records: readonly unknown[],
): Promise<IngestResult> {
  const config = await readAppliedConfig(pool, sandbox);
  const source = config.sources.get(sourceName);
  if (!source || source.spec.type !== 'http')
    throw new SourceRunError(`Source/${sourceName} is not an http source applied to sandbox ${sandbox}`);
  const object =
    objectName === undefined ? source.spec.objects[0]! : source.spec.objects.find((o) => o.name === objectName);
  if (!object)
    throw new SourceRunError(
      `Source/${sourceName} has no object "${objectName}"; objects: ${source.spec.objects.map((o) => o.name).join(', ')}`,
    );
  const maxRecordBytes = source.spec.badRecords?.maxRecordBytes ?? 1024 * 1024;
  const items: ReadItem[] = records.map((value, index) => {
    const position = { origin: 'request', index };
    const text = JSON.stringify(value) ?? '';
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return { bad: { position, reason: `record ${index} is not a JSON object`, raw: text.slice(0, 2048) } };
    if (Buffer.byteLength(text) > maxRecordBytes)
      return {
        bad: {
          position,
          reason: `record ${index} is ${Buffer.byteLength(text)} bytes, over the ${maxRecordBytes}-byte limit`,
          raw: text.slice(0, 2048),
        },
      };
    return { record: { fields: value as Record<string, unknown>, position, bytes: Buffer.byteLength(text) } };
  });
  const result = await ingestObjects(
    pool,
    sandbox,
    source,
    config.catalog,
    [{ object: object.name, items: toAsync(items) }],
    { trigger: 'push' },
  );
  // Events resolve their person inside the ingest transaction (decision 21) and change no profile:
  // stitching after an event batch would only rescan the sandbox, on the streaming hot path.
  await afterIngest(pool, sandbox, result, { stitch: object.entity !== 'event' });
  return result;
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
