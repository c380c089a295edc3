import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import { parsePointer } from '../util/json-pointer';
import { checkDocumentBounds, depthMessage } from './check-document-bounds';
import { findTextTooDeep, MAX_TEXT_DEPTH } from './check-text-depth';
import type { LineColumn } from './line-column';
import type { Problem } from './problem';

/** One parsed YAML/JSON document with the means to turn a JSON pointer back into a position. */
export interface LocatedDocument {
  file: string;
  /** 0-based index of the document in its file (`---` separated). */
  index: number;
  value: unknown;
  /** Position of the key (or sequence item) a pointer names; the nearest existing ancestor if it is absent. */
  locate(pointer: string): LineColumn;
}

/** Most aliases one document may expand: far above real configs, far below an alias bomb. */
const MAX_ALIAS_COUNT = 200;

/**
 * Parses every document of a YAML or JSON text (JSON goes through the same parser, so both get
 * positions and duplicate-key errors). Syntax problems are reported, not thrown.
 */
export function parseDocuments(text: string, file: string): { documents: LocatedDocument[]; problems: Problem[] } {
  const tooDeep = findTextTooDeep(text);
  if (tooDeep) {
    const message = `the text nests more than ${MAX_TEXT_DEPTH} levels (brackets, indentation and list items), so it is not parsed; a document may nest at most 64 levels: combine conditions with one "all" or "any" rather than nesting them, or move a part into a segment of its own and reference it with "inSegment"`;
    return { documents: [], problems: [{ code: 'CONFIG_TOO_DEEP', file, ...tooDeep, pointer: '', message }] };
  }
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: false, prettyErrors: true });
  const documents: LocatedDocument[] = [];
  const problems: Problem[] = [];
  const all = Array.isArray(parsed) ? parsed : [];
  for (const [index, doc] of all.entries()) {
    if (doc.errors.length > 0) {
      // Later errors of a document are mostly the parser losing its footing after the first one.
      problems.push(yamlProblem(doc.errors[0]!, file, text));
      continue;
    }
    if (isEmptyDocument(doc.contents)) continue; // e.g. after a trailing `---`
    const locate = (pointer: string) => locateNode(doc.contents as Node, parsePointer(pointer), lineCounter);
    let value: unknown;
    try {
      // `yaml` counts the anchor's own use too: one more, so 200 aliases of one anchor pass as documented.
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT + 1 });
    } catch (error) {
      problems.push(aliasProblem(error, file, locate('')));
      continue;
    }
    const outOfBounds = checkDocumentBounds(value);
    if (outOfBounds) {
      const { code, pointer, message } = outOfBounds;
      problems.push({ code, file, ...locate(pointer), pointer, message });
    } else documents.push({ file, index, value, locate });
  }
  return { documents, problems };
}

function isEmptyDocument(contents: unknown): boolean {
  return contents === null || (isScalar(contents) && contents.value === null && contents.source === '');
}

function yamlProblem(error: YAMLError, file: string, text: string): Problem {
  const [start] = error.linePos ?? [{ line: 1, col: 1 }];
  const headline = error.message.split(' at line ')[0]!.split('\n')[0]!;
  if (error.code === 'DUPLICATE_KEY') {
    const key = text
      .slice(error.pos[0])
      .split(/\s*:|\n/)[0]!
      .trim();
    const message = `key ${key} appears twice in the same mapping; keep one`;
    return { code: 'CONFIG_DUPLICATE_KEY', file, line: start.line, column: start.col, pointer: '', message };
  }
  if (isStackOverflow(error.message)) {
    // The parser recursed out of stack: a nesting far beyond what the bound allows.
    const message = depthMessage('the text');
    return { code: 'CONFIG_TOO_DEEP', file, line: start.line, column: start.col, pointer: '', message };
  }
  const message = `${headline}; ${yamlHint(error.code)}`;
  return { code: 'CONFIG_YAML', file, line: start.line, column: start.col, pointer: '', message };
}

function yamlHint(code: string): string {
  if (code === 'TAB_AS_INDENT') return 'indent with spaces, not tabs';
  return "fix the YAML syntax (a YAML linter or your editor's YAML support shows the exact spot)";
}

function isStackOverflow(message: string): boolean {
  return message.includes('Maximum call stack size exceeded');
}

function aliasProblem(error: unknown, file: string, at: LineColumn): Problem {
  if (error instanceof RangeError && isStackOverflow(error.message))
    return { code: 'CONFIG_TOO_DEEP', file, ...at, pointer: '', message: depthMessage('the document') };
  const excessive = error instanceof Error && /alias count/.test(error.message);
  const message = excessive
    ? `the document expands more than ${MAX_ALIAS_COUNT} aliases (a YAML "billion laughs" pattern); write the values out or use fewer anchors`
    : `cannot resolve the document (${error instanceof Error ? error.message : String(error)}); check its anchors and aliases`;
  return { code: excessive ? 'CONFIG_ALIAS_LIMIT' : 'CONFIG_YAML', file, ...at, pointer: '', message };
}

/** Walks `segments` from `root`; returns the position of the last key or item found. */
function locateNode(root: Node, segments: readonly string[], lineCounter: LineCounter): LineColumn {
  let node: unknown = root;
  let offset = rangeStart(root);
  for (const segment of segments) {
    if (isAlias(node)) break;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (!pair || !isPair(pair)) break;
      offset = rangeStart(pair.key as Node);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item as Node);
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}
