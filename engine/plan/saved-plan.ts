import type { ResourceKey } from '../config/resource';
import type { ResourceGraph } from '../graph/build-graph';
import type { AppliedResource } from '../runtime/registry/applied-resource';
import { contentHash } from '../util/canonical-json';
import type { Plan } from './plan';
import { toResourceDocument } from './resource-document';

/** What the files declared when a plan was made: every resource's document hash. */
export interface FileSnapshot {
  resources: { key: ResourceKey; sourceFile: string; specHash: string }[];
}

/** What the sandbox held when a plan was made: every applied resource's revision, and the journal's position. */
export interface RuntimeSnapshot {
  sandboxExists: boolean;
  resources: { key: ResourceKey; revision: number; specHash: string }[];
  /** The last apply run recorded in the sandbox's journal; null when there is none (or no sandbox). */
  journal: JournalPosition | null;
}

/** How far the sandbox's apply journal has got. */
export interface JournalPosition {
  applyRuns: number;
  lastApplyId: string;
}

/**
 * `roster plan --out FILE`: the plan (with every changed resource's document), what it was computed
 * against, and a hash of both. `roster apply FILE` applies exactly `plan.changes`, after checking that
 * neither the files nor the runtime moved since. Secrets are references (`secret://NAME`) in documents,
 * never values: the file is as safe to keep as the resource files themselves.
 */
export interface SavedPlan {
  formatVersion: 1;
  kind: 'RosterSavedPlan';
  createdAt: string;
  /** The config directory as given to `roster plan`; `roster apply FILE` reads it again from the directory it runs in. */
  configDir: string;
  files: FileSnapshot;
  runtime: RuntimeSnapshot;
  plan: Plan;
  /** `sha256:` of the canonical JSON of everything above. */
  hash: string;
}

export type SavedPlanContent = Omit<SavedPlan, 'formatVersion' | 'kind' | 'hash'>;

/** Pure: the saved plan of `content`, hashed. */
export function createSavedPlan(content: SavedPlanContent): SavedPlan {
  const unhashed = { formatVersion: 1 as const, kind: 'RosterSavedPlan' as const, ...content };
  return { ...unhashed, hash: contentHash(unhashed) };
}

/** The saved plan as written to disk, indented; the hash is of canonical JSON, so key order does not matter. */
export function renderSavedPlan(saved: SavedPlan): string {
  return `${JSON.stringify(saved, null, 2)}\n`;
}

/**
 * Pure: reads a saved plan's text. Returns what is wrong instead when it is not JSON, not a saved
 * plan, or its hash does not match its content (edited after it was made).
 */
export function parseSavedPlan(text: string): { saved: SavedPlan } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `is not JSON (${(error as Error).message})` };
  }
  const saved = value as Partial<SavedPlan> | null;
  if (saved === null || typeof saved !== 'object' || saved.kind !== 'RosterSavedPlan')
    return { problem: 'is not a saved plan (no "kind": "RosterSavedPlan"); make one with roster plan --out FILE' };
  if (saved.formatVersion !== 1)
    return { problem: `has formatVersion ${String(saved.formatVersion)}; this roster reads formatVersion 1` };
  const { hash, ...unhashed } = saved as SavedPlan;
  if (hash !== contentHash(unhashed))
    return { problem: 'does not match its hash: it was edited after roster plan wrote it; make a new plan' };
  return { saved: saved as SavedPlan };
}

/** Pure: the document hash of every resource the files declare, in plan order. */
export function snapshotFiles(graph: ResourceGraph): FileSnapshot {
  return {
    resources: graph.order.map((key) => {
      const resource = graph.resources.get(key)!;
      return {
        key,
        sourceFile: resource.origin.relativePath,
        specHash: contentHash(toResourceDocument(resource)),
      };
    }),
  };
}

/**
 * Pure: the registry as a plan depends on it. The hash is of the document the row holds (not its
 * `spec_hash` column), so a document edited in the database with SQL counts as a change.
 */
export function snapshotRuntime(
  sandboxExists: boolean,
  applied: readonly AppliedResource[],
  journal: JournalPosition | null,
): RuntimeSnapshot {
  return {
    sandboxExists,
    resources: applied.map((row) => ({
      key: `${row.kind}/${row.name}` as ResourceKey,
      revision: row.revision,
      specHash: contentHash(row.document),
    })),
    journal,
  };
}
