import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readJournalPosition } from '../../deploy/apply-journal';
import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { gitCommitOf } from '../../deploy/git-commit';
import { findStaleReasons } from '../../plan/find-stale-reasons';
import type { Plan } from '../../plan/plan';
import { parseSavedPlan, type SavedPlan, snapshotFiles, snapshotRuntime } from '../../plan/saved-plan';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { executeAndReport } from './execute-and-report';
import { openSandboxAfterState } from './open-sandbox';
import { renderPlan } from './plan-command';
import { underApplyLock } from './under-apply-lock';

export interface ApplySavedPlanOptions {
  /** The file `roster plan --out` wrote. */
  file: string;
  lockTimeoutMs: number;
  format: 'text' | 'json';
  /** False with `--no-evaluate`: skip the evaluation the plan announced. */
  evaluate?: boolean;
  /** What a refusal tells the user to do instead (default: make a new plan with --out). */
  remedy?: string;
  /** False when the caller printed the plan already (`roster promote --apply`). */
  showPlan?: boolean;
  /** The tool the apply lock's holder row names (default `roster apply`). */
  tool?: 'roster apply' | 'roster promote';
  /** The sandbox the user named (`--sandbox`); a plan made for another one is refused. */
  expectedSandbox?: string;
}

/**
 * `roster apply plan.json`: applies exactly the saved plan's changes to its sandbox, without asking
 * (the plan is what was reviewed), after checking under the apply lock that neither the files nor
 * the runtime changed since it was made; if either did, refuses and names each resource that moved.
 */
export async function runApplySavedPlan(options: ApplySavedPlanOptions, io: CliIo): Promise<number> {
  const saved = await readSavedPlan(options.file, io);
  if (options.expectedSandbox !== undefined && options.expectedSandbox !== saved.plan.sandbox)
    throw new CommandError(
      'PLAN_FILE',
      `${options.file} was made for sandbox ${saved.plan.sandbox}, not ${options.expectedSandbox}; nothing was applied: make a plan for ${options.expectedSandbox} with roster plan --sandbox ${options.expectedSandbox} --out FILE`,
    );
  return applySavedPlan(saved, options, io);
}

/**
 * Applies a saved plan (read from `options.file`, or made in this process by `roster promote`)
 * after the staleness check; `options.file` names it in messages.
 */
export async function applySavedPlan(saved: SavedPlan, options: ApplySavedPlanOptions, io: CliIo): Promise<number> {
  const sandbox = saved.plan.sandbox;
  const checked = await checkConfigDir(saved.configDir, sandbox, io);
  if (checked.problems.length > 0) {
    io.stdout(renderProblemsText(checked.problems));
    return EXIT.failed;
  }
  const { db, stateBefore } = await openSandboxAfterState(sandbox, io);
  return underApplyLock(
    db,
    { sandbox, lockTimeoutMs: options.lockTimeoutMs, tool: options.tool ?? 'roster apply' },
    io,
    async () => {
      const applied = await readAppliedResources(db.pool, sandbox);
      const journal = await readJournalPosition(db.pool, sandbox);
      const now = {
        files: snapshotFiles(checked.validated.graph),
        runtime: snapshotRuntime(stateBefore.exists, applied, journal),
      };
      const reasons = findStaleReasons(saved, now);
      if (reasons.length > 0)
        throw new CommandError(
          'APPLY_STALE_PLAN',
          `${options.file} no longer matches what it was planned against: ${reasons.join('; ')}; nothing was applied: ${options.remedy ?? `make a new plan with roster plan --out ${options.file}, review it, and apply that`}`,
        );
      const plan = withEvaluation(saved.plan, options.evaluate !== false);
      if (options.format === 'text' && options.showPlan !== false) io.stdout(renderPlan(plan, 'text', io));
      if (plan.changes.length === 0) {
        if (options.format === 'json')
          io.stdout(
            `${JSON.stringify({ formatVersion: 1, sandbox, applied: [], failed: null, evaluated: [] }, null, 2)}\n`,
          );
        return EXIT.ok;
      }
      const gitCommit = gitCommitOf(checked.root);
      return executeAndReport(
        plan,
        { format: options.format, root: checked.root, ...(gitCommit ? { gitCommit } : {}) },
        db,
        io,
      );
    },
  );
}

/** Reads and checks the plan file; a missing, unreadable or edited file is PLAN_FILE. */
export async function readSavedPlan(file: string, io: CliIo): Promise<SavedPlan> {
  const text = await fs.readFile(path.resolve(io.cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CommandError(
      'PLAN_FILE',
      `${file}: cannot read it (${error.code ?? error.message}); pass the file roster plan --out wrote`,
      { cause: error },
    );
  });
  const parsed = parseSavedPlan(text);
  if ('problem' in parsed) throw new CommandError('PLAN_FILE', `${file} ${parsed.problem}`);
  return parsed.saved;
}

/** `--no-evaluate` can only take the announced evaluation away, never add one. */
function withEvaluation(plan: Plan, evaluate: boolean): Plan {
  if (!plan.afterApply || evaluate) return plan;
  return { ...plan, afterApply: { ...plan.afterApply, evaluate: false } };
}
