/**
 * The import graph of the engine: stages are folders, and a stage imports only stages below it.
 * `STAGE_LEVELS` is the one place the order is written (docs/architecture.md shows it and this test
 * checks that it does). Imports are read with TypeScript's own pre-processor, so `import type`,
 * `export ... from` and `await import(...)` all count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Stage folders from the bottom up. A folder may import folders of lower levels only; folders of the
 * same level are peers and import neither each other nor anything above. `schemas` is the generated
 * types of `schemas/generated/`, `providers` the Pulumi providers beside `engine/`; every other
 * name is a folder of `engine/`.
 */
const STAGE_LEVELS: readonly (readonly string[])[] = [
  ['schemas'],
  ['util'],
  ['template'],
  ['config'],
  ['sources'],
  ['catalog', 'graph'],
  ['runtime'],
  ['vendors', 'identity'],
  ['ingest', 'segment'],
  ['rules', 'activation'],
  ['jobs'],
  ['observe'],
  ['plan'],
  ['deploy'],
  ['providers'],
  ['audience-test', 'server'],
  ['demo'],
  ['cli'],
];

const LEVEL_OF = new Map(STAGE_LEVELS.flatMap((stages, level) => stages.map((stage) => [stage, level] as const)));

/** One import: the importing file and the file it names, both relative to the repository. */
interface ImportEdge {
  from: string;
  to: string;
}

function listTs(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Every relative import of `file`, resolved to the `.ts` file it names (extension dropped). */
function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => ({ from: file, to: path.join(path.dirname(file), name).replace(/\.(ts|js)$/, '') }));
}

/** The stage of a path, or undefined outside the stages (examples, node_modules). */
function stageOf(file: string): string | undefined {
  const [top, second] = file.split(path.sep);
  if (top === 'engine') return second;
  if (top === 'providers') return 'providers';
  if (top === 'schemas' && second === 'generated') return 'schemas';
  return undefined;
}

const FILES = [...listTs('engine'), ...listTs('providers')];
const EDGES = FILES.flatMap(importsOf);
const show = (edge: ImportEdge) => `${edge.from} -> ${edge.to}`;

/** Strongly connected groups of more than one file (Tarjan), each as a cycle to print. */
function fileCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges)
    next.set(from.replace(/\.ts$/, ''), [...(next.get(from.replace(/\.ts$/, '')) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (stack.includes(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      group.push(member);
      if (member === node) break;
    }
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

describe('the import graph', () => {
  it('reads the imports of every engine and provider file', () => {
    expect(FILES.length).toBeGreaterThan(300);
    expect(EDGES.length).toBeGreaterThan(1000);
  });

  it('names a level for every stage folder of engine/', () => {
    const folders = readdirSync(path.join(ROOT, 'engine'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.filter((folder) => !LEVEL_OF.has(folder))).toEqual([]);
  });

  it('has no stage importing a stage above it or a peer of its level', () => {
    const upward = EDGES.filter((edge) => {
      const from = stageOf(edge.from);
      const to = stageOf(edge.to);
      if (from === undefined || to === undefined || from === to) return false;
      return LEVEL_OF.get(to)! >= LEVEL_OF.get(from)!;
    });
    expect(upward.map(show), 'stage -> stage above (or peer): move the shared code down').toEqual([]);
  });

  it('has no import cycles between files', () => {
    const cycles = fileCycles(EDGES).map((group) => group.join(' <-> '));
    expect(cycles, 'files that import each other: move the shared type to the lower file or a file of its own').toEqual(
      [],
    );
  });

  it('is the order docs/architecture.md shows', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const shown = doc.split('\n').find((line) => line.startsWith('`schemas` <'));
    const written = STAGE_LEVELS.map((stages) => stages.map((stage) => `\`${stage}\``).join(' | ')).join(' < ');
    expect(shown, 'the line of docs/architecture.md that starts with `schemas` <').toBe(written);
  });
});
