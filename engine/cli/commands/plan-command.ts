import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { readInterruptedApplies, readJournalPosition, readRecordedOperations } from '../../deploy/apply-journal';
import { isApplyLockFree } from '../../deploy/apply-lock';
import { type CheckedConfigDir, checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { gitCommitOf } from '../../deploy/git-commit';
import { buildPlan } from '../../plan/build-plan';
import { findDrift } from '../../plan/find-drift';
import { keepPulumiManaged } from '../../plan/keep-pulumi-managed';
import type { Plan, PlanDatabaseState } from '../../plan/plan';
import { renderPlanJson } from '../../plan/render-plan-json';
import { renderPlanMarkdown } from '../../plan/render-plan-markdown';
import { COLOURS, NO_COLOURS, renderPlanText } from '../../plan/render-plan-text';
import {
  createSavedPlan,
  renderSavedPlan,
  type SavedPlan,
  snapshotFiles,
  snapshotRuntime,
} from '../../plan/saved-plan';
import { segmentsToEvaluate } from '../../plan/segments-to-evaluate';
import type { SandboxState } from '../../runtime/migrate-sandbox';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { type CliIo, EXIT } from '../cli-io';
import { addDataImpact } from './add-data-impact';
import { openSandboxReadOnly } from './open-sandbox';

export type PlanFormat = 'text' | 'markdown' | 'json';

export interface PlanOptions {
  dir: string;
  sandbox: string;
  format: PlanFormat;
  detailedExitcode: boolean;
  /** Plan deletes of resources `pulumi up` manages (left out by default). */
  allowDeletePulumiManaged?: boolean;
  /** Preview each created or changed segment on current data (size before/after, entering, exiting). */
  impact: boolean;
  /** Also write the plan, with what it was computed against, to this file (`roster apply FILE` applies it). */
  out?: string;
  /** Whether apply will evaluate the changed segments and their dependents (false with `--no-evaluate`). */
  evaluate: boolean;
}

/** `roster plan`: what `roster apply` would change in the sandbox; writes nothing. */
export async function runPlan(options: PlanOptions, io: CliIo): Promise<number> {
  const checked = await checkConfigDir(options.dir, options.sandbox, io);
  if (checked.problems.length > 0) {
    io.stdout(renderProblemsText(checked.problems));
    return EXIT.failed;
  }
  // Read-only: a missing sandbox or pending migrations are reported in the plan, never fixed here.
  const { db, state } = await openSandboxReadOnly(options.sandbox, io);
  try {
    const { plan, saved } = await planSandbox(checked, { db: db.pool, state }, options);
    if (options.out !== undefined) await writeSavedPlan(options.out, saved, io);
    io.stdout(renderPlan(plan, options.format, io));
    if (!options.detailedExitcode) return EXIT.ok;
    return plan.changes.length > 0 ? 2 : EXIT.ok;
  } finally {
    await db.close();
  }
}

/**
 * Read-only: the plan of the checked files for `options.sandbox` (drift, database notes, what apply
 * evaluates, the data impact unless `--no-impact`), and the same plan as a saved plan.
 */
export async function planSandbox(
  checked: CheckedConfigDir,
  runtime: { db: Pool; state: SandboxState },
  options: Pick<PlanOptions, 'dir' | 'sandbox' | 'impact' | 'evaluate' | 'allowDeletePulumiManaged'>,
): Promise<{ plan: Plan; saved: SavedPlan }> {
  const { db, state } = runtime;
  const applied = state.hasRegistry ? await readAppliedResources(db, options.sandbox) : [];
  const interrupted =
    state.hasRegistry && (await isApplyLockFree(db, options.sandbox))
      ? await readInterruptedApplies(db, options.sandbox)
      : [];
  const gitCommit = gitCommitOf(checked.root);
  const graph = checked.validated.graph;
  const context = { sandbox: options.sandbox, managedBy: 'roster' as const, configRoot: checked.root };
  const plan = keepPulumiManaged(
    buildPlan(graph, applied, { ...context, ...(gitCommit ? { gitCommit } : {}) }, interrupted),
    options.allowDeletePulumiManaged === true,
  );
  if (state.hasRegistry) plan.drift = findDrift(applied, await readRecordedOperations(db, options.sandbox));
  plan.database = databaseState(state, options.impact);
  plan.afterApply = { evaluate: options.evaluate, segments: segmentsToEvaluate(plan.changes, graph) };
  if (options.impact && !plan.database.impactSkipped)
    await addDataImpact(plan, { graph, segments: checked.validated.segments }, db);
  const journal = state.hasRegistry ? await readJournalPosition(db, options.sandbox) : null;
  const saved = createSavedPlan({
    createdAt: new Date().toISOString(),
    configDir: options.dir,
    files: snapshotFiles(graph),
    runtime: snapshotRuntime(state.exists, applied, journal),
    plan,
  });
  return { plan, saved };
}

/** Writes `--out`: the plan with the files and runtime it was computed against, hashed. */
async function writeSavedPlan(out: string, saved: SavedPlan, io: CliIo): Promise<void> {
  await fs.writeFile(path.resolve(io.cwd, out), renderSavedPlan(saved));
  io.stderr(`Saved the plan to ${out}; roster apply ${out} applies exactly this plan.\n`);
}

/** The data impact reads segment tables, so it is computed only when every migration has run. */
function databaseState(state: SandboxState, impact: boolean): PlanDatabaseState {
  const result: PlanDatabaseState = { sandboxExists: state.exists, pendingMigrations: state.pending };
  if (impact && !state.exists) result.impactSkipped = 'the sandbox has no data yet';
  else if (impact && state.pending.length > 0) result.impactSkipped = 'the sandbox tables are not up to date';
  return result;
}

export function renderPlan(plan: Plan, format: PlanFormat, io: CliIo): string {
  if (format === 'json') return renderPlanJson(plan);
  if (format === 'markdown') return renderPlanMarkdown(plan);
  return renderPlanText(plan, io.isTTY && !io.env.NO_COLOR ? COLOURS : NO_COLOURS);
}
