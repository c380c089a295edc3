import { DateTime } from 'luxon';

/**
 * Luxon tokens a date pattern may use. Luxon reads any other letter as a literal or as a token
 * that parses nothing useful (`q` quarter, `EEE` weekday alone), so a typo such as `yyyq` would
 * pass silently and every value would then miss; a closed list turns that into a validate error.
 */
const TOKENS = new Set([
  'y',
  'yy',
  'yyyy',
  'M',
  'MM',
  'MMM',
  'MMMM',
  'd',
  'dd',
  'EEE',
  'EEEE',
  'H',
  'HH',
  'h',
  'hh',
  'a',
  'm',
  'mm',
  's',
  'ss',
  'S',
  'SSS',
  'Z',
  'ZZ',
  'ZZZ',
  'z',
]);

/** A moment whose year, month and day all differ from the defaults Luxon fills in for a missing token. */
const PROBE = DateTime.fromISO('1999-11-23T13:45:56.789Z', { zone: 'utc' });

/**
 * Why `pattern` cannot read dates, or undefined when it can: every letter run is a known token
 * (text in single quotes is literal), and a date written with it reads back as the same calendar
 * day, which catches a pattern without a year, month or day.
 */
export function checkDatePattern(pattern: string): string | undefined {
  const unknown = letterRuns(pattern).find((run) => !TOKENS.has(run));
  if (unknown !== undefined)
    return `"${unknown}" is not a date token; use yyyy or yy, MM or MMM, dd, HH or hh with a, mm, ss, SSS, ZZ or z, and quote literal text ('T')`;
  const written = PROBE.toFormat(pattern);
  const read = DateTime.fromFormat(written, pattern, { zone: 'utc' });
  if (!read.isValid || read.toISODate() !== PROBE.toISODate())
    return 'the pattern does not name a whole date; it needs a year (yyyy or yy), a month (MM or MMM) and a day (dd), e.g. MM/dd/yyyy';
  return undefined;
}

/** The unquoted letter runs of a pattern (`MM/dd/yyyy 'at' HH` -> MM, dd, yyyy, HH). */
function letterRuns(pattern: string): string[] {
  const runs: string[] = [];
  const unquoted = pattern.split("'").filter((_, i) => i % 2 === 0);
  for (const part of unquoted) {
    for (const match of part.matchAll(/([A-Za-z])\1*/g)) runs.push(match[0]);
  }
  return runs;
}
