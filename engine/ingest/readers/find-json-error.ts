/** Thrown inside the scan to stop at the first offending character. */
class Stop {
  constructor(readonly at: number) {}
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

/**
 * Index of the first character of `text` where JSON stops being valid, or -1 if it is valid (or too
 * deeply nested to scan). Only run after `JSON.parse` has failed: Node 20's messages do not always
 * say where ("Unexpected token '}', ... is not valid JSON"), and users need a line and column.
 */
export function findJsonError(text: string): number {
  try {
    const end = skipWhitespace(text, scanValue(text, skipWhitespace(text, 0)));
    return end < text.length ? end : -1;
  } catch (error) {
    if (error instanceof Stop) return error.at;
    return -1; // RangeError from very deep nesting: no position rather than a wrong one
  }
}

function scanValue(text: string, at: number): number {
  const char = text[at];
  if (char === '{') return scanContainer(text, at, '}', scanMember);
  if (char === '[') return scanContainer(text, at, ']', scanValue);
  if (char === '"') return scanString(text, at);
  for (const word of ['true', 'false', 'null']) if (text.startsWith(word, at)) return at + word.length;
  NUMBER.lastIndex = at;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  throw new Stop(at);
}

function scanContainer(text: string, at: number, close: string, scanEntry: (t: string, a: number) => number): number {
  let pos = skipWhitespace(text, at + 1);
  if (text[pos] === close) return pos + 1;
  for (;;) {
    pos = skipWhitespace(text, scanEntry(text, pos));
    if (text[pos] === close) return pos + 1;
    if (text[pos] !== ',') throw new Stop(pos);
    pos = skipWhitespace(text, pos + 1);
  }
}

function scanMember(text: string, at: number): number {
  if (text[at] !== '"') throw new Stop(at);
  const colon = skipWhitespace(text, scanString(text, at));
  if (text[colon] !== ':') throw new Stop(colon);
  return scanValue(text, skipWhitespace(text, colon + 1));
}

function scanString(text: string, at: number): number {
  let pos = at + 1;
  while (pos < text.length) {
    const code = text.charCodeAt(pos);
    if (code === 0x22) return pos + 1;
    if (code < 0x20) throw new Stop(pos);
    if (code === 0x5c) {
      ESCAPE.lastIndex = pos + 1;
      if (!ESCAPE.test(text)) throw new Stop(pos);
      pos = ESCAPE.lastIndex;
    } else {
      pos += 1;
    }
  }
  throw new Stop(pos);
}

function skipWhitespace(text: string, at: number): number {
  let pos = at;
  while (WHITESPACE.has(text.charCodeAt(pos))) pos += 1;
  return pos;
}
