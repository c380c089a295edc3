import type { ResourceKey, ResourceKind } from '../config/resource';
import type { ResourceInputs } from './resource-document';

export type PlannedAction = 'create' | 'update' | 'replace' | 'delete';

/** One change a plan would make, with what a reviewer needs to judge it. */
export interface PlannedChange {
  action: PlannedAction;
  key: ResourceKey;
  kind: ResourceKind;
  name: string;
  /** Applied inputs (update, replace, delete). */
  before?: ResourceInputs;
  /** Desired inputs (create, update, replace). */
  after?: ResourceInputs;
  /** Why an in-place update is not possible. */
  replaceReason?: string;
  /** Unified diff of the canonical documents (keys sorted, secrets shown as [secret]). */
  diff: string;
  /** Segments: what the change would do to the audience on current data. */
  impact?: { sizeBefore: number; sizeAfter: number; entered: number; exited: number };
}

/** An earlier apply that stopped before confirming every operation. */
export interface InterruptedApply {
  applyId: string;
  startedAt: string;
  appliedBy: string;
  /** Operations it intended that are not confirmed done. */
  pending: { action: PlannedAction; key: ResourceKey }[];
}

/** What applying the files would change in a sandbox. */
export interface Plan {
  sandbox: string;
  /** Creates, updates and replaces in dependency order, then deletes in reverse dependency order. */
  changes: PlannedChange[];
  unchanged: ResourceKey[];
  interrupted: InterruptedApply[];
  /**
   * Applied resources managed by Pulumi that the files no longer hold: left alone unless the user
   * passes --allow-delete-pulumi-managed (see keep-pulumi-managed.ts).
   */
  keptPulumiManaged?: KeptResource[];
  /** What plan found in the database without writing to it (absent in plans made by apply, which migrates first). */
  database?: PlanDatabaseState;
}

/** A delete left out of a plan because another tool manages the resource. */
export interface KeptResource {
  key: ResourceKey;
  sourceFile: string;
}

/** The sandbox's schema as a read-only plan saw it. */
export interface PlanDatabaseState {
  sandboxExists: boolean;
  /** Migration files apply would run first. */
  pendingMigrations: string[];
  /** Why the data impact was not computed, when it was requested but could not be. */
  impactSkipped?: string;
}

/** The notes a reader sees above the changes: a missing sandbox, pending migrations, a skipped impact. */
export function databaseNotes(state: PlanDatabaseState | undefined, sandbox: string): string[] {
  if (!state) return [];
  const notes: string[] = [];
  if (!state.sandboxExists) notes.push(`sandbox ${sandbox} does not exist; apply creates it`);
  else if (state.pendingMigrations.length > 0) {
    const n = state.pendingMigrations.length;
    notes.push(`${n} migration${n === 1 ? '' : 's'} pending; apply runs ${n === 1 ? 'it' : 'them'}`);
  }
  if (state.impactSkipped) notes.push(`data impact skipped: ${state.impactSkipped}`);
  return notes;
}

export interface PlanSummary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  unchanged: number;
}

export function summarizePlan(plan: Plan): PlanSummary {
  const count = (action: PlannedAction) => plan.changes.filter((c) => c.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    replace: count('replace'),
    delete: count('delete'),
    unchanged: plan.unchanged.length,
  };
}
