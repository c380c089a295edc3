/**
 * Salesforce datetimes as the API writes them (`2026-01-01T00:05:00.000+0000`) and as users write
 * them (`2026-01-01T00:05:00Z`, `...+01:00`). Strict on purpose: a watermark goes into SOQL, so
 * only a complete date, time and zone is accepted.
 */
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The instant `text` names, or undefined when it is not an ISO 8601 datetime with a zone, or names
 * a day or time that does not exist (`2026-02-30`, `25:00`).
 */
export function parseSalesforceDatetime(text: string): Date | undefined {
  const parts = DATETIME.exec(text);
  if (!parts) return undefined;
  const [, year, month, day, hour, minute, second] = parts.map(Number) as number[];
  const utc = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  // Date.UTC rolls 2026-02-30 over to March 2; a real date survives the round trip unchanged.
  const exists =
    utc.getUTCFullYear() === year &&
    utc.getUTCMonth() === month! - 1 &&
    utc.getUTCDate() === day &&
    utc.getUTCHours() === hour &&
    utc.getUTCMinutes() === minute &&
    utc.getUTCSeconds() === second;
  if (!exists) return undefined;
  // Date.parse does not take "+0000" everywhere; with the colon put in, it is plain ISO 8601.
  const zone = parts[8]!;
  const isoZone = zone === 'Z' || zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const instant = new Date(Date.parse(text.slice(0, text.length - zone.length) + isoZone));
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/**
 * The watermark to keep after seeing `value` (a record's watermark field, e.g. `SystemModstamp`):
 * the later of `current` and `value`, as a UTC ISO string (`2026-01-01T00:05:00.000Z`), which
 * `buildQuery` accepts as `since` for the next read. Values that are not datetimes (null, a field
 * the query did not select) leave `current` as it is.
 *
 * The caller computes the watermark this way while iterating `SalesforceClient.queryRecords`, and
 * stores it only once the read has finished, so an interrupted read is simply read again.
 */
export function laterWatermark(current: string | undefined, value: unknown): string | undefined {
  if (typeof value !== 'string') return current;
  const seen = parseSalesforceDatetime(value);
  if (!seen) return current;
  const kept = current === undefined ? undefined : parseSalesforceDatetime(current);
  return kept && kept.getTime() >= seen.getTime() ? kept.toISOString() : seen.toISOString();
}
