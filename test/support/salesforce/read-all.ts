import { querySalesforceItems } from '../../../engine/ingest/query-salesforce-items';
import type { BadRecord, SourceRecord } from '../../../engine/ingest/source-record';
import { laterWatermark } from '../../../engine/vendors/salesforce/later-watermark';
import type { SalesforceClient } from '../../../engine/vendors/salesforce/salesforce-client';

/** Everything one query read: records, bad records, and the watermark a caller would store. */
export interface ReadResult {
  records: SourceRecord[];
  bad: BadRecord[];
  /** Latest `watermarkField` value seen, as `laterWatermark` keeps it; undefined when none. */
  watermark: string | undefined;
}

/** Reads `soql` to the end, computing the watermark the way the ingestion caller does. */
export async function readAll(
  client: SalesforceClient,
  soql: string,
  origin: string,
  watermarkField = 'SystemModstamp',
  since?: string,
): Promise<ReadResult> {
  const result: ReadResult = { records: [], bad: [], watermark: since };
  for await (const item of querySalesforceItems(client, soql, origin)) {
    if ('bad' in item) {
      result.bad.push(item.bad);
      continue;
    }
    result.records.push(item.record);
    result.watermark = laterWatermark(result.watermark, item.record.fields[watermarkField]);
  }
  return result;
}

/** The error `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`expected an Error, got ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}
