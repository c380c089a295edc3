import type { ProblemCode } from './problem';

/**
 * Deepest nesting of mappings and lists a document may have. Real resources nest about 15 levels
 * (a segment's relation inside a relation inside `all`); every later stage (schema validation,
 * the condition checker, canonical JSON, the YAML of plans) recurses once per level.
 */
export const MAX_DOCUMENT_DEPTH = 64;

/** Most values (mappings, lists, scalars) a document may hold once its aliases are expanded. */
export const MAX_DOCUMENT_NODES = 500_000;

/**
 * Most characters a document may take as JSON (`JSON.stringify`, no spaces) once its aliases are
 * expanded: twice the largest file, so a file that fits is never refused for its size, and aliases
 * can never multiply it into what later stages (canonical JSON, plan diffs, jsonb) cannot hold.
 */
export const MAX_DOCUMENT_CHARACTERS = 4 * 1024 * 1024;

/** Why a parsed document is out of bounds, and where (a JSON pointer into it). */
export interface BoundsFinding {
  code: ProblemCode;
  pointer: string;
  message: string;
}

interface Measure {
  nodes: number;
  characters: number;
  /** Levels below and including this value; capped just above the limit. */
  depth: number;
}

/**
 * Measures a document as the later stages will see it, with every alias expanded. `yaml` resolves
 * an alias to the same object as its anchor, so sizes are memoised per object: an alias bomb is
 * measured in the time its text takes to read, not in the time its expansion would take.
 */
export function checkDocumentBounds(value: unknown): BoundsFinding | undefined {
  const measured = new Map<object, Measure>();
  const measure = (node: unknown, level: number): Measure => {
    if (node === null || typeof node !== 'object') return { nodes: 1, characters: jsonLength(node), depth: 0 };
    if (level > MAX_DOCUMENT_DEPTH) return { nodes: 1, characters: 2, depth: 1 }; // deep enough to refuse: stop
    const known = measured.get(node);
    if (known) return known;
    const entries = entriesOf(node);
    // Brackets, and a comma between entries.
    const total: Measure = { nodes: 1, characters: 2 + Math.max(entries.length - 1, 0), depth: 1 };
    for (const [key, child] of entries) {
      const inner = measure(child, level + 1);
      total.nodes += inner.nodes;
      total.characters += inner.characters + (typeof key === 'string' ? jsonLength(key) + 1 : 0);
      total.depth = Math.max(total.depth, inner.depth + 1);
    }
    measured.set(node, total);
    return total;
  };
  const root = measure(value, 1);
  if (root.depth > MAX_DOCUMENT_DEPTH) return depthFinding(value);
  if (root.nodes > MAX_DOCUMENT_NODES || root.characters > MAX_DOCUMENT_CHARACTERS)
    return sizeFinding(value, root, (node) => measured.get(node as object));
  return nulFinding(value);
}

/** PostgreSQL text and jsonb cannot hold U+0000 (YAML's `"\0"`, JSON's `"\u0000"`): refused here, not at apply. */
function nulFinding(value: unknown): BoundsFinding | undefined {
  const walk = (node: unknown, pointer: string): string | undefined => {
    if (typeof node === 'string') return node.includes('\u0000') ? pointer : undefined;
    if (node === null || typeof node !== 'object') return undefined;
    for (const [key, child] of entriesOf(node)) {
      const at = `${pointer}/${escapePointer(String(key))}`;
      if (String(key).includes('\u0000')) return at;
      const found = walk(child, at);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const pointer = walk(value, '');
  if (pointer === undefined) return undefined;
  const message = 'the text holds a NUL character (U+0000), which cannot be stored; remove it';
  return { code: 'CONFIG_VALUE', pointer, message };
}

function entriesOf(node: object): [string | number, unknown][] {
  return Array.isArray(node) ? node.map((child, i) => [i, child]) : Object.entries(node);
}

/** Characters of a scalar (or a key) in JSON, escapes included. */
function jsonLength(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

function isOverSize(m: Measure | undefined): boolean {
  return m !== undefined && (m.nodes > MAX_DOCUMENT_NODES || m.characters > MAX_DOCUMENT_CHARACTERS);
}

/** Points at the smallest part of the document that is over the limit on its own (often one alias's list). */
function sizeFinding(value: unknown, root: Measure, measureOf: (node: unknown) => Measure | undefined): BoundsFinding {
  let node = value;
  let pointer = '';
  for (;;) {
    const over = entriesOf(node as object).find(([, child]) => isOverSize(measureOf(child)));
    if (!over) break;
    pointer += `/${escapePointer(String(over[0]))}`;
    node = over[1];
  }
  const part = pointer === '' ? 'the document' : 'this value';
  const size =
    root.nodes > MAX_DOCUMENT_NODES
      ? `${formatCount(measureOf(node)!.nodes)} values; a document may hold at most ${formatCount(MAX_DOCUMENT_NODES)}`
      : `${formatCount(measureOf(node)!.characters)} characters as JSON; a document may take at most ${formatCount(MAX_DOCUMENT_CHARACTERS)}`;
  const message = `${part} expands (with its aliases) to ${size}; write fewer or shorter values, and keep long value lists in data (a source or marketing list) rather than in resources`;
  return { code: 'CONFIG_DOCUMENT_TOO_LARGE', pointer, message };
}

/** Points at the first value (in document order) nested one level too deep. */
function depthFinding(value: unknown): BoundsFinding {
  let pointer = '';
  const walk = (node: unknown, level: number): boolean => {
    if (node === null || typeof node !== 'object') return false;
    if (level > MAX_DOCUMENT_DEPTH) return true;
    for (const [key, child] of entriesOf(node)) {
      const before = pointer;
      pointer += `/${escapePointer(String(key))}`;
      if (walk(child, level + 1)) return true;
      pointer = before;
    }
    return false;
  };
  walk(value, 1);
  return { code: 'CONFIG_TOO_DEEP', pointer, message: depthMessage('this value') };
}

/** The one wording of the depth limit, also used where a parser gives up on a deeper text. */
export function depthMessage(what: string): string {
  return `${what} is nested more than ${MAX_DOCUMENT_DEPTH} levels deep (mappings and lists); flatten it: combine conditions with one "all" or "any" rather than nesting them, or move a part into a segment of its own and reference it with "inSegment"`;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
