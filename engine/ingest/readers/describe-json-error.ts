import { findJsonError } from './find-json-error';

/** A JSON syntax error as a user reads it: what is wrong, and where (1-based). */
export interface JsonErrorDescription {
  /** The parser's own words, without its position and without its echo of the input. */
  message: string;
  line: number;
  column: number;
}

/**
 * Describes why `JSON.parse(text)` threw `error`. The position is the parser's when its message
 * gives one, else found by a second scan (Node 20 leaves it out of some messages).
 */
export function describeJsonError(text: string, error: unknown): JsonErrorDescription {
  const raw = error instanceof Error ? error.message : String(error);
  const stated = / at position (\d+)/.exec(raw);
  const found = stated ? Number(stated[1]) : findJsonError(text);
  const index = found === -1 ? text.length : Math.min(found, text.length);
  const message = raw
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '')
    // Whole-input echoes ("undefined" is not valid JSON) say nothing the position does not.
    .replace(/^(?:\.\.\.)?".*" is not valid JSON$/s, `Unexpected token '${text.charAt(index)}'`);
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { message, line: countNewlines(before) + 1, column: index - lineStart + 1 };
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count += 1;
  return count;
}
