import type { Queryable } from '../runtime/queryable';
import { type AppliedSource, readAppliedConfig } from '../runtime/registry/read-applied-config';
import type { ObjectEntity } from '../sources/source-presets';
import { checkPushedRecord } from './check-pushed-record';
import { type IngestResult, ingestObjects } from './ingest-objects';
import type { BadRecord } from './source-record';
import { SourceRunError } from './source-run-error';

/**
 * `maxErrorRatio` of an http source that sets none. Not the 1% of sources that run: a pushed batch
 * is small and its answer lists every rejected record, so the client can fix and resend those; 1%
 * would reject eight good events with one bad one. A source that wants bad batches refused whole
 * sets its own ratio.
 */
export const PUSH_DEFAULT_MAX_ERROR_RATIO = 1;

/** A pushed record that was quarantined: its index in the batch, the field at fault, and why. */
export interface RejectedRecord {
  index: number;
  field: string | null;
  reason: string;
}

export interface PushResult extends IngestResult {
  /** Records in the request. */
  received: number;
  /** Every quarantined record, by index. */
  rejected: RejectedRecord[];
  /** The source's ratio the batch was judged by (its own, or the push default). */
  maxErrorRatio: number;
  /** The bad records passed `maxErrorRatio`: the batch was rolled back whole. */
  ratioExceeded: boolean;
  /** What the pushed object holds; events change no profile, so the caller does not stitch after them. */
  entity: ObjectEntity;
}

/**
 * Ingests a batch pushed to an http source (one run, committed before this resolves, so the caller
 * can acknowledge it; stitching and streaming evaluation are the caller's, `afterIngest`). Each value
 * is checked on its own first (`checkPushedRecord`); those that fail, and those whose mapping fails,
 * are quarantined with their index like any bad record and the rest are stored, unless their share
 * passes the source's error ratio, which rolls the batch back whole.
 */
export async function pushRecords(
  db: Queryable,
  sandbox: string,
  sourceName: string,
  objectName: string | undefined,
  records: readonly unknown[],
): Promise<PushResult> {
  const config = await readAppliedConfig(db, sandbox);
  const source = config.sources.get(sourceName);
  if (source?.spec.type !== 'http')
    throw new SourceRunError(`Source/${sourceName} is not an http source applied to sandbox ${sandbox}`);
  const object =
    objectName === undefined ? source.spec.objects[0]! : source.spec.objects.find((o) => o.name === objectName);
  if (!object)
    throw new SourceRunError(
      `Source/${sourceName} has no object "${objectName}"; objects: ${source.spec.objects.map((o) => o.name).join(', ')}`,
    );
  const judged = withPushPolicy(source);
  const maxRecordBytes = judged.spec.badRecords?.maxRecordBytes ?? 1024 * 1024;
  const items = records.map((value, index) => checkPushedRecord(value, index, maxRecordBytes));
  const rejected: RejectedRecord[] = [];
  const result = await ingestObjects(
    db,
    sandbox,
    judged,
    config.catalog,
    [{ object: object.name, items: toAsync(items) }],
    { trigger: 'push', onQuarantine: (bad) => rejected.push(rejectionOf(bad)) },
  );
  const maxErrorRatio = judged.spec.badRecords!.maxErrorRatio!;
  return {
    ...result,
    received: records.length,
    rejected: rejected.sort((a, b) => a.index - b.index),
    maxErrorRatio,
    ratioExceeded: result.read > 0 && result.quarantined / result.read > maxErrorRatio,
    entity: object.entity,
  };
}

/** The source with the push default ratio filled in where it sets none. */
function withPushPolicy(source: AppliedSource): AppliedSource {
  const badRecords = { maxErrorRatio: PUSH_DEFAULT_MAX_ERROR_RATIO, ...source.spec.badRecords };
  return { ...source, spec: { ...source.spec, badRecords } };
}

function rejectionOf(bad: BadRecord): RejectedRecord {
  return { index: bad.position.index, field: bad.field ?? null, reason: bad.reason };
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
