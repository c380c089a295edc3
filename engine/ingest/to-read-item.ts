import { exceedsDepth, MAX_RECORD_DEPTH } from './exceeds-depth';
import type { ReadItem, ReadLimits, RecordPosition } from './source-record';

/** Longest raw text kept with a bad record, in bytes (the quarantine's limit). */
const RAW_LIMIT = 2048;

/**
 * One record of a query page as a read item. The record's fields are kept as Salesforce gave them:
 * `attributes` (`{ type, url }`) and relationship objects (`Account: { attributes, Name }`) stay as
 * values, for the mapping to pick from. A record that is not a JSON object, or is larger than
 * `limits.maxRecordBytes`, or nested deeper than `MAX_RECORD_DEPTH`, becomes a bad record instead.
 */
export function toReadItem(raw: unknown, position: RecordPosition, limits?: ReadLimits): ReadItem {
  if (exceedsDepth(raw)) {
    const reason = `record nests objects or arrays more than ${MAX_RECORD_DEPTH} levels deep; flatten it before loading`;
    return { bad: { position, reason } };
  }
  const text = JSON.stringify(raw) ?? String(raw);
  const bytes = Buffer.byteLength(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { bad: { position, reason: 'record is not a JSON object', raw: truncate(text) } };
  }
  if (limits && bytes > limits.maxRecordBytes) {
    return {
      bad: {
        position,
        reason: `record is ${bytes} bytes, over the ${limits.maxRecordBytes}-byte limit`,
        raw: truncate(text),
      },
    };
  }
  return { record: { fields: raw as Record<string, unknown>, position, bytes } };
}

/** `text` cut to at most 2 KiB; a character split at the cut becomes U+FFFD. */
function truncate(text: string): string {
  const buffer = Buffer.from(text);
  return buffer.length <= RAW_LIMIT ? text : buffer.subarray(0, RAW_LIMIT).toString('utf8');
}
