import type { ResourceKey, ResourceKind } from '../config/resource';
import type { DriftedResource } from './drifted-resource';
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
  /** What apply does once the providers are done; absent in plans whose apply does nothing more (destroy). */
  afterApply?: AfterApply;
  /** The whole data impact on current data: changed segments, the segments built on them, destinations. */
  dataImpact?: DataImpact;
  /** Resources changed outside Roster since the last apply recorded them (`findDrift`); apply restores the files' version. */
  drift?: DriftedResource[];
}

/** What the plan would do to audiences and destinations, on current data (read-only previews). */
export interface DataImpact {
  /** Changed segments and the segments that reference them, in dependency order. */
  segments: SegmentImpact[];
  /** Destinations that activate any of `segments`, as the files bind them. */
  destinations: DestinationImpact[];
}

export interface SegmentImpact {
  segment: string;
  subject: 'person' | 'account';
  /** Empty when the segment itself changes; else the changed segments it references, directly or not. */
  via: string[];
  sizeBefore: number;
  sizeAfter: number;
  entered: number;
  exited: number;
  enteringSample: { subjectId: number; label: string | null }[];
  exitingSample: { subjectId: number; label: string | null }[];
  /** Account audiences: persons the member accounts activate, before and after, and of entering and exiting accounts. */
  persons?: { before: number; after: number; entering: number; exiting: number };
}

export interface DestinationImpact {
  destination: string;
  /** Its bound segments among the impacted ones. */
  segments: string[];
  /** Persons it would be sent as entering (adds) and exiting (removes), summed over those segments. */
  adds: number;
  removes: number;
}

/** Apply evaluates the changed segments and their dependents, so members change as the impact said. */
export interface AfterApply {
  /** False with `--no-evaluate`: members change at the segments' next scheduled evaluation. */
  evaluate: boolean;
  /** The segments apply evaluates (or would, without `--no-evaluate`), in dependency order. */
  segments: string[];
}

/** The sentence plans print about evaluation after apply; undefined when there is nothing to evaluate. */
export function afterApplyNote(after: AfterApply | undefined): string | undefined {
  if (!after || after.segments.length === 0) return undefined;
  const names = after.segments.join(', ');
  return after.evaluate
    ? `Apply then evaluates ${names}, so members change as the data impact says`
    : `Apply does not evaluate ${names} (--no-evaluate); their members change at their next evaluation`;
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

/** The heading of the drift a plan reports, as text and markdown say it. */
export const DRIFT_HEADING =
  "Changed outside Roster: the runtime differs from what the last apply recorded; apply restores the files' version";

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
