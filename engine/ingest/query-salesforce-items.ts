import type { SalesforceClient } from '../vendors/salesforce/salesforce-client';
import type { ReadItem, ReadLimits } from './source-record';
import { toReadItem } from './to-read-item';

/**
 * The records of `soql` as read items with `position.origin` = `origin` (the object name) and
 * `position.index` counting from 0 across pages; a record over `limits` becomes a bad record.
 * The client speaks Salesforce; what a record is to ingestion is decided here.
 */
export async function* querySalesforceItems(
  client: SalesforceClient,
  soql: string,
  origin: string,
  limits?: ReadLimits,
): AsyncGenerator<ReadItem, void, undefined> {
  let index = 0;
  for await (const raw of client.queryRecords(soql, origin)) yield toReadItem(raw, { origin, index: index++ }, limits);
}
