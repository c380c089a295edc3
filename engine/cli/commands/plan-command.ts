import { readInterruptedApplies } from '../../deploy/apply-journal';
import { isApplyLockFree } from '../../deploy/apply-lock';
import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { gitCommitOf } from '../../deploy/git-commit';
import { buildPlan } from '../../plan/build-plan';
import { keepPulumiManaged } from '../../plan/keep-pulumi-managed';
import type { Plan, PlanDatabaseState } from '../../plan/plan';
import { renderPlanJson } from '../../plan/render-plan-json';
import { renderPlanMarkdown } from '../../plan/render-plan-markdown';
import { COLOURS, NO_COLOURS, renderPlanText } from '../../plan/render-plan-text';
import type { CheckedSegment } from '../../rules/check-segments';
import type { SandboxState } from '../../runtime/migrate-sandbox';
import type { Queryable } from '../../runtime/queryable';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { previewSegment } from '../../segment/preview-segment';
import { type CliIo, EXIT } from '../cli-io';
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
    const applied = state.hasRegistry ? await readAppliedResources(db.pool, options.sandbox) : [];
    const interrupted =
      state.hasRegistry && (await isApplyLockFree(db.pool, options.sandbox))
        ? await readInterruptedApplies(db.pool, options.sandbox)
        : [];
    const gitCommit = gitCommitOf(checked.root);
    const plan = keepPulumiManaged(
      buildPlan(
        checked.validated.graph,
        applied,
        {
          sandbox: options.sandbox,
          managedBy: 'roster',
          configRoot: checked.root,
          ...(gitCommit ? { gitCommit } : {}),
        },
        interrupted,
      ),
      options.allowDeletePulumiManaged === true,
    );
    plan.database = databaseState(state, options.impact);
    if (options.impact && !plan.database.impactSkipped)
      await addDataImpact(plan, checked.validated.segments, db.pool, options.sandbox);
    io.stdout(renderPlan(plan, options.format, io));
    if (!options.detailedExitcode) return EXIT.ok;
    return plan.changes.length > 0 ? 2 : EXIT.ok;
  } finally {
    await db.close();
  }
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

/** The data impact of every created, updated or replaced segment, from a read-only preview. */
async function addDataImpact(
  plan: Plan,
  segments: readonly CheckedSegment[],
  pool: Queryable,
  sandbox: string,
): Promise<void> {
  const now = new Date();
  for (const change of plan.changes) {
    if (change.kind !== 'Segment' || change.action === 'delete') continue;
    const checked = segments.find((s) => s.resource.name === change.name);
    if (!checked) continue;
    const { sample: _sample, ...impact } = await previewSegment(
      pool,
      sandbox,
      { name: change.name, subject: checked.resource.spec.subject, where: checked.where },
      now,
      0,
    );
    change.impact = impact;
  }
}
