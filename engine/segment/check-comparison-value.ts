import type { AttributeDefinition } from '../catalog/attribute-catalog';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/;
const DURATION = /^[1-9][0-9]{0,5}[mhdw]$/;

/**
 * Longest duration a window may span: 100 years. Windows are subtracted from the evaluation time
 * in SQL, and PostgreSQL's timestamps end at 4713 BC; a bound far inside that keeps every accepted
 * window computable, and no audience looks further back.
 */
export const MAX_DURATION_DAYS = 36_500;
const MINUTES_PER_UNIT = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;

/** What is wrong with a duration (`30d`), or undefined when it fits. */
export function durationProblem(duration: string): string | undefined {
  const allowed = `a duration of 1 to ${MAX_DURATION_DAYS} days (100 years): at most ${Math.floor(MAX_DURATION_DAYS / 7)}w, ${MAX_DURATION_DAYS}d, ${MAX_DURATION_DAYS * 24}h or 999999m`;
  if (!DURATION.test(duration)) return `"${duration}" is not a duration; give ${allowed}, e.g. "30d"`;
  const minutes = Number(duration.slice(0, -1)) * MINUTES_PER_UNIT[duration.slice(-1) as 'm' | 'h' | 'd' | 'w'];
  return minutes <= MAX_DURATION_DAYS * 24 * 60 ? undefined : `"${duration}" is too long; give ${allowed}`;
}

/** What is wrong with `value` for `op` on `attribute`, or undefined when it fits. */
export function checkComparisonValue(attribute: AttributeDefinition, op: string, value: unknown): string | undefined {
  if (op === 'exists' || op === 'notExists') {
    return value === undefined ? undefined : `"${op}" takes no value; remove "value"`;
  }
  if (value === undefined) return `"${op}" needs a value; add "value"`;
  if (op === 'within' || op === 'olderThan') {
    return typeof value === 'string' && DURATION.test(value)
      ? durationProblem(value)
      : `"${op}" takes a duration such as "30d" (units m, h, d, w)`;
  }
  if (op === 'in' || op === 'notIn') return checkList(attribute, op, value);
  if (op === 'between') return checkRange(attribute, value);
  if (Array.isArray(value)) return `"${op}" takes a single value, not a list`;
  if (op === 'matches') return checkRegex(value);
  return scalarMismatch(attribute, value);
}

function checkList(attribute: AttributeDefinition, op: string, value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return `"${op}" takes a non-empty list of values`;
  for (const item of value) {
    const wrong = scalarMismatch(attribute, item);
    if (wrong) return `list item ${JSON.stringify(item)}: ${wrong}`;
  }
  return undefined;
}

function checkRange(attribute: AttributeDefinition, value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length !== 2) return '"between" takes a list of two values [low, high]';
  const wrong = scalarMismatch(attribute, value[0]) ?? scalarMismatch(attribute, value[1]);
  if (wrong) return wrong;
  const [low, high] = value as [string | number, string | number];
  const ordered =
    typeof low === 'number' ? low <= (high as number) : Date.parse(String(low)) <= Date.parse(String(high));
  return ordered ? undefined : `the range [${low}, ${high}] is empty; write the lower bound first`;
}

/**
 * Expressions run as PostgreSQL regular expressions, which are close to JavaScript's: JavaScript
 * checks the syntax once PostgreSQL's leading embedded options (`(?i)`) are removed, and the
 * features PostgreSQL lacks (lookbehind, named groups) are refused.
 */
function checkRegex(value: unknown): string | undefined {
  if (typeof value !== 'string') return '"matches" takes a regular expression as a string';
  if (/\(\?<[=!a-zA-Z]/.test(value))
    return 'lookbehind and named groups are not supported; rewrite the expression without them';
  const postgresProblem = postgresRegexProblem(value);
  if (postgresProblem) return postgresProblem;
  try {
    new RegExp(value.replace(/^\(\?[bceimnpqstwx]+\)/, ''));
    return undefined;
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(error);
    return `invalid regular expression (${reason}); fix the expression (PostgreSQL regular expression syntax)`;
  }
}

/** Escapes PostgreSQL's regular expressions accept after a backslash (besides digits and punctuation). */
const POSTGRES_ESCAPES = new Set('acefnrtuUvxdswDSWAmMyYZ'.split(''));

/**
 * What JavaScript accepts but PostgreSQL rejects or reads differently: unknown letter escapes
 * (`\p{L}`, `\z`), `\b` (a backspace in PostgreSQL; its word boundary is `\y`), repeat counts over 255.
 */
function postgresRegexProblem(value: string): string | undefined {
  for (let i = 0; i < value.length - 1; i++) {
    if (value[i] !== '\\') continue;
    const next = value[++i]!;
    if (next === 'b' || next === 'B')
      return `"\\${next}" is a backspace in PostgreSQL regular expressions; write "\\${next === 'b' ? 'y' : 'Y'}" for a word boundary`;
    if (/[A-Za-z]/.test(next) && !POSTGRES_ESCAPES.has(next))
      return `"\\${next}" is not a PostgreSQL regular-expression escape; fix the expression (PostgreSQL regular expression syntax)`;
  }
  const repeat = /\{(\d+)(?:,(\d*))?\}/g;
  for (let m = repeat.exec(value); m; m = repeat.exec(value)) {
    if (Number(m[1]) > 255 || Number(m[2] || 0) > 255)
      return `repeat count ${m[0]} is over PostgreSQL's limit of 255; use a smaller count`;
  }
  const size = expandedRegexSize(value);
  if (size > MAX_REGEX_SIZE)
    return `the expression expands to about ${size.toLocaleString('en-US')} states through its nested repeat counts, more than the ${MAX_REGEX_SIZE.toLocaleString('en-US')} allowed (PostgreSQL refuses such expressions as too complex when it evaluates them); use smaller or fewer nested counts`;
  return undefined;
}

/**
 * Most states a `matches` expression may expand to. PostgreSQL copies a repeated atom once per count
 * (`(a{255}){200}` is 51,000 copies) and refuses expressions of about 40,000 as "too complex", but
 * only when a row reaches the comparison: at plan or at run time, never at validate.
 */
export const MAX_REGEX_SIZE = 10_000;

/** Atoms of `value`, each counted once per copy its enclosing `{m,n}` repeats make (an estimate from above). */
function expandedRegexSize(value: string): number {
  const groups: number[] = [0];
  let last = 0; // size of the atom or group a quantifier repeats
  const add = (size: number) => {
    last = size;
    groups[groups.length - 1]! += size;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\') i++;
    else if (c === '[') i = classEnd(value, i);
    else if (c === '(') {
      groups.push(0);
      continue;
    } else if (c === ')' && groups.length > 1) {
      add(groups.pop()!);
      continue;
    }
    const repeat = c === '{' ? /^\{(\d+)(?:,(\d*))?\}/.exec(value.slice(i)) : null;
    if (repeat) {
      const copies = Math.max(
        Number(repeat[1]),
        repeat[2] === undefined ? 0 : Number(repeat[2] || Number(repeat[1]) + 1),
      );
      groups[groups.length - 1]! += last * (copies - 1);
      last *= copies;
      i += repeat[0].length - 1;
    } else if (!'*+?|'.includes(c)) add(1);
  }
  return groups.reduce((sum, size) => sum + size, 0);
}

/** Index of the `]` closing the bracket expression opened at `start` (a leading `]` or `^]` is literal). */
function classEnd(value: string, start: number): number {
  let i = start + 1;
  if (value[i] === '^') i++;
  if (value[i] === ']') i++;
  while (i < value.length && value[i] !== ']') i += value[i] === '\\' ? 2 : 1;
  return i;
}

/** Why a single value does not fit the attribute's type, or undefined when it does. */
function scalarMismatch(attribute: AttributeDefinition, value: unknown): string | undefined {
  const { type, name } = attribute;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `"${name}" is a string attribute; quote the value`;
    case 'number':
      // Finite: the schema refuses YAML's .inf and .nan (JSON numbers are finite) before this is reached.
      return typeof value === 'number' ? undefined : `"${name}" is a number attribute; give a number without quotes`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `"${name}" is a boolean attribute; give true or false`;
    case 'date':
    case 'datetime':
      return typeof value === 'string' && isCalendarDate(value)
        ? undefined
        : `"${name}" is a ${type} attribute; give an ISO 8601 date ("2026-01-31") or date-time ("2026-01-31T12:00:00Z") of a real day in years 0001 to 9999, with a UTC offset of at most 14 hours`;
  }
}

/**
 * A date or date-time PostgreSQL reads as the same instant: JavaScript's `Date.parse` accepts
 * February 30 (rolling over to March) and the year 0, which PostgreSQL refuses.
 */
function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value) ?? DATETIME.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = m
    .slice(1)
    .map((part) => Number(part ?? 0));
  const daysInMonth = new Date(Date.UTC(2000, month!, 0)).getUTCDate() - (month === 2 && !isLeapYear(year!) ? 1 : 0);
  return (
    year! >= 1 &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= daysInMonth &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetHours <= 14 &&
    offsetMinutes < 60
  );
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
