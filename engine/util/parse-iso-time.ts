/**
 * The instants a time may name where it reaches PostgreSQL: years 1 to 9999 in UTC. PostgreSQL has
 * no year 0 (JavaScript does), and a later year prints as `+010000-...`, which PostgreSQL reads as a
 * zone: either would fail the query (a 500 or a database error) instead of being refused as input.
 */
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** What `parseIsoTime` accepts, in words a user reads after "must be". */
export const ISO_TIME_ALLOWED =
  'an ISO 8601 date or time with a zone from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z, e.g. 2026-01-31T12:00:00Z';

/** A date (midnight UTC) or a date and time with `Z` or an offset; no local times, no impossible dates. */
export function parseIsoTime(raw: string): Date | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(raw);
  if (!match) return undefined;
  const day = new Date(`${match[1]}T00:00:00Z`);
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== match[1]) return undefined;
  const time = new Date(raw);
  const millis = time.getTime();
  return Number.isNaN(millis) || millis < EARLIEST || millis > LATEST ? undefined : time;
}
