import { ISO_TIME_ALLOWED, parseIsoTime } from '../util/parse-iso-time';
import { UsageError } from './usage-error';

/**
 * `--as-of`, checked as the read API checks asOf: a year PostgreSQL cannot hold is a usage error,
 * not a database error.
 */
export function parseAsOf(value: string): Date {
  const time = parseIsoTime(value);
  if (time === undefined) throw new UsageError(`--as-of "${value}" must be ${ISO_TIME_ALLOWED}`);
  return time;
}
