import type { LineColumn } from './line-column';

/**
 * Deepest nesting a text may show before it is parsed. The YAML parser recurses once per level and,
 * near the end of the stack, V8 can abort the whole process (a regular expression compiled there
 * fails with "out of memory") instead of throwing: past about 800 levels it is not safe to parse at
 * all. Far above the 64 levels a parsed document may have, so real files never come near it.
 */
export const MAX_TEXT_DEPTH = 200;

/**
 * Where a text first nests more than `MAX_TEXT_DEPTH` levels, or undefined. An upper bound found in
 * one pass without parsing: every `[` and `{` counts (even in strings and comments, so no quoting
 * can hide one), and so do the indentation levels open on a line and its leading `- `/`? ` indicators.
 */
export function findTextTooDeep(text: string): LineColumn | undefined {
  const indents: number[] = [];
  let flow = 0;
  let line = 1;
  let lineStart = 0;
  let block = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (i === lineStart) block = blockDepthAt(text, i, indents);
    if (c === '[' || c === '{') flow++;
    else if ((c === ']' || c === '}') && flow > 0) flow--;
    else if (c === '\n') {
      line++;
      lineStart = i + 1;
    }
    if (flow + block > MAX_TEXT_DEPTH) return { line, column: i - lineStart + 1 };
  }
  return undefined;
}

/** Levels open at the line starting at `start`: enclosing indentations, then compact `- - -` items. */
function blockDepthAt(text: string, start: number, indents: number[]): number {
  let i = start;
  while (text[i] === ' ') i++;
  if (i >= text.length || text[i] === '\n' || text[i] === '\r') return indents.length; // blank line
  const indent = i - start;
  while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
  indents.push(indent);
  let compact = 0;
  while ((text[i] === '-' || text[i] === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
    compact++;
    i += 2;
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  return indents.length + compact;
}
