/**
 * Checks a parsed JSON record can be stored at all, whatever its mapping: nesting within `maxDepth`
 * (deeper values overflow the stack of every recursive step after this one: `JSON.stringify`,
 * key sorting, field lookup), and no text PostgreSQL refuses, in keys or values: NUL (text and
 * jsonb cannot hold it, and one fails the COPY of the whole batch) or an unpaired UTF-16
 * surrogate (not Unicode; jsonb refuses its escape). The walk is iterative, so it is safe on any
 * input `JSON.parse` returned.
 */

/** Nesting levels a record may have (the record itself is level 1). */
export const MAX_RECORD_DEPTH = 32;

/** What is wrong with a record's shape: the field (dotted path, printable) and the reason. */
export interface RecordShapeProblem {
  field: string;
  reason: string;
}

/** A value met during the walk, with how it was reached (the path is built only for a problem). */
interface Visit {
  value: unknown;
  depth: number;
  key: string;
  parent: Visit | undefined;
}

/** The first shape problem of `record`, or undefined when it can be stored. */
export function checkRecordShape(record: object, maxDepth = MAX_RECORD_DEPTH): RecordShapeProblem | undefined {
  const stack: Visit[] = [{ value: record, depth: 1, key: '', parent: undefined }];
  for (let visit = stack.pop(); visit !== undefined; visit = stack.pop()) {
    const { value, depth } = visit;
    if (typeof value === 'string') {
      const problem = textProblem(value, 'value');
      if (problem) return { field: pathOf(visit), reason: `${pathOf(visit)}: ${problem}` };
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > maxDepth)
      return {
        field: pathOf(visit),
        reason: `nested more than ${maxDepth} levels deep (at ${pathOf(visit)}); send flatter records`,
      };
    for (const key of Object.keys(value)) {
      const child: Visit = { value: (value as Record<string, unknown>)[key], depth: depth + 1, key, parent: visit };
      const problem = textProblem(key, 'field name');
      if (problem) return { field: pathOf(child), reason: `${pathOf(child)}: ${problem}` };
      stack.push(child);
    }
  }
  return undefined;
}

const NUL = '\u0000';
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(text: string, what: 'value' | 'field name'): string | undefined {
  if (text.includes(NUL)) return `the ${what} holds a NUL character (\\u0000), which PostgreSQL text cannot store`;
  if (UNPAIRED_SURROGATE.test(text))
    return `the ${what} holds an unpaired UTF-16 surrogate (an escape such as \\ud800 alone), which is not Unicode text`;
  return undefined;
}

/** Longest path shown; deeper paths keep their end, where the problem is. */
const MAX_PATH_CHARS = 120;

/** The dotted path of `visit` (array items by index), printable: NULs and lone surrogates escaped. */
function pathOf(visit: Visit): string {
  const keys: string[] = [];
  let length = 0;
  for (let at: Visit | undefined = visit; at?.parent !== undefined && length <= MAX_PATH_CHARS; at = at.parent) {
    keys.push(printable(at.key));
    length += at.key.length + 1;
  }
  const path = keys.reverse().join('.');
  return length > MAX_PATH_CHARS ? `…${path.slice(-MAX_PATH_CHARS)}` : path || '(record)';
}

function printable(key: string): string {
  let escaped = '';
  let offset = 0;
  for (; offset < key.length && escaped.length < 60; offset++) {
    const unit = key.charCodeAt(offset);
    const unsafe = unit === 0 || (isSurrogate(unit) && !isPaired(key, offset));
    escaped += unsafe ? `\\u${unit.toString(16).padStart(4, '0')}` : key[offset];
  }
  return offset < key.length ? `${escaped.slice(0, 57)}...` : escaped;
}

function isPaired(text: string, offset: number): boolean {
  const unit = text.charCodeAt(offset);
  if (isHigh(unit)) return offset + 1 < text.length && isLow(text.charCodeAt(offset + 1));
  return offset > 0 && isHigh(text.charCodeAt(offset - 1));
}

function isSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdfff;
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
