import { DateTime } from 'luxon';
import { parseIsoFast } from './parse-iso-fast';

/** A converted time in PostgreSQL's text form, or what is wrong with the source value. */
export type TimeResult = { value: string } | { error: string };

/** The latest year PostgreSQL's timestamptz holds (its range is 4713 BC to 294276 AD). */
const MAX_TIMESTAMP_YEAR = 294276;

/**
 * Reads a date or date-time: ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, a space for the `T`,
 * `+0000` offsets as Salesforce writes them; no offset means UTC), or the mapping's Luxon
 * `pattern`. Impossible dates (`1900-02-30`) are errors, never rolled over to the next month, and
 * so are years PostgreSQL refuses (year 0, before 1 AD or after its timestamp range), which would
 * otherwise fail the whole run's COPY. A `date` is the UTC calendar day of the moment.
 */
export function convertTime(text: string, type: 'date' | 'datetime', pattern?: string): TimeResult {
  const fast = pattern === undefined ? parseIsoFast(text) : undefined;
  if (fast !== undefined) {
    const iso = new Date(fast).toISOString();
    // Offsets can carry a value across a year boundary: only years 1000-9999 print as plain four digits.
    if (/^\d{4}-/.test(iso)) return { value: type === 'date' ? iso.slice(0, 10) : iso };
  }
  const parsed = pattern === undefined ? parseIso(text) : DateTime.fromFormat(text, pattern, { zone: 'utc' });
  if (parsed === undefined || !parsed.isValid) return { error: notATime(text, type, pattern, parsed) };
  const utc = parsed.toUTC();
  if (utc.year < 1 || utc.year > MAX_TIMESTAMP_YEAR)
    return {
      error: `"${clip(text)}" is in year ${utc.year}, outside the years PostgreSQL stores (1 to ${MAX_TIMESTAMP_YEAR}); year 0 does not exist`,
    };
  const day = `${String(utc.year).padStart(4, '0')}-${utc.toFormat('MM-dd')}`;
  return { value: type === 'date' ? day : `${day}T${utc.toFormat('HH:mm:ss.SSS')}Z` };
}

function parseIso(text: string): DateTime | undefined {
  // fromISO also reads week (2026-W05) and ordinal (2026-031) dates and bare years; they are not what a date column holds.
  if (!/^\d{4}-\d{2}-\d{2}([T ]|$)/.test(text)) return undefined;
  return DateTime.fromISO(text.replace(' ', 'T'), { zone: 'utc' });
}

function notATime(text: string, type: 'date' | 'datetime', pattern: string | undefined, parsed?: DateTime): string {
  const impossible = parsed?.invalidReason === 'unit out of range';
  if (pattern !== undefined)
    return impossible
      ? `"${clip(text)}" is not a real date in the format ${pattern} (${parsed?.invalidExplanation ?? 'out of range'})`
      : `"${clip(text)}" does not match the format ${pattern}`;
  if (impossible) return `"${clip(text)}" is not a real date (${parsed?.invalidExplanation ?? 'out of range'})`;
  return `"${clip(text)}" is not an ISO 8601 ${type === 'date' ? 'date (2026-01-31)' : 'date-time (2026-01-31T12:00:00Z)'}; set the field's format (e.g. MM/dd/yyyy) if it is written another way`;
}

/**
 * A value as a reason quotes it: cut at 40 characters (the record's raw text is kept in the
 * quarantine) and NUL written `\0`, since the reason is stored in a text column.
 */
export function clip(text: string): string {
  const shown = text.split('\u0000').join('\\0');
  return shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
}
