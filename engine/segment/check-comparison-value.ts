import type { AttributeDefinition } from '../catalog/attribute-catalog';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DURATION = /^[1-9][0-9]{0,5}[mhdw]$/;

/** What is wrong with `value` for `op` on `attribute`, or undefined when it fits. */
export function checkComparisonValue(attribute: AttributeDefinition, op: string, value: unknown): string | undefined {
  if (op === 'exists' || op === 'notExists') {
    return value === undefined ? undefined : `"${op}" takes no value; remove "value"`;
  }
  if (value === undefined) return `"${op}" needs a value; add "value"`;
  if (op === 'within' || op === 'olderThan') {
    return typeof value === 'string' && DURATION.test(value)
      ? undefined
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
  return undefined;
}

/** Why a single value does not fit the attribute's type, or undefined when it does. */
function scalarMismatch(attribute: AttributeDefinition, value: unknown): string | undefined {
  const { type, name } = attribute;
  switch (type) {
    case 'string':
      return typeof value === 'string' ? undefined : `"${name}" is a string attribute; quote the value`;
    case 'number':
      return typeof value === 'number' ? undefined : `"${name}" is a number attribute; give a number without quotes`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `"${name}" is a boolean attribute; give true or false`;
    case 'date':
    case 'datetime':
      return typeof value === 'string' && (DATE.test(value) || DATETIME.test(value)) && !Number.isNaN(Date.parse(value))
        ? undefined
        : `"${name}" is a ${type} attribute; give an ISO 8601 date ("2026-01-31") or date-time ("2026-01-31T12:00:00Z")`;
  }
}
