import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { findUnpromoted } from '../../plan/find-unpromoted';
import { snapshotFiles, snapshotRuntime } from '../../plan/saved-plan';
import { readSandboxState } from '../../runtime/migrate-sandbox';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { readEvaluatedRevisions } from '../../segment/read-evaluated-revisions';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { applySavedPlan } from './apply-saved-plan';
import { openSandboxReadOnly } from './open-sandbox';
import { type PlanFormat, planSandbox, renderPlan } from './plan-command';

export interface PromoteOptions {
  dir: string;
  from: string;
  to: string;
  /** Apply the promotion once the check passes (else only show it). */
  apply: boolean;
  format: PlanFormat;
  impact: boolean;
  evaluate: boolean;
  lockTimeoutMs: number;
}

/**
 * `roster promote --from dev --to prod`: the plan of the files for `to` (read-only), refused (exit 1,
 * naming the resources) unless every change it makes was applied to `from` as the files say and,
 * for segments, evaluated there since; with `--apply`, applies exactly that plan to `to`, as a saved plan.
 */
export async function runPromote(options: PromoteOptions, io: CliIo): Promise<number> {
  const source = await checkConfigDir(options.dir, options.from, io);
  const target = source.problems.length > 0 ? source : await checkConfigDir(options.dir, options.to, io);
  if (target.problems.length > 0) {
    io.stdout(renderProblemsText(target.problems));
    return EXIT.failed;
  }
  const { db, state: fromState } = await openSandboxReadOnly(options.from, io);
  let promotion: Awaited<ReturnType<typeof planSandbox>>;
  try {
    const state = await readSandboxState(db.pool, options.to);
    promotion = await planSandbox(target, { db: db.pool, state }, { ...options, sandbox: options.to });
    const applied = fromState.hasRegistry ? await readAppliedResources(db.pool, options.from) : [];
    const evaluated =
      fromState.exists && fromState.pending.length === 0
        ? await readEvaluatedRevisions(db.pool, options.from)
        : new Map<string, number>();
    const reasons = findUnpromoted(promotion.plan.changes, {
      sandbox: options.from,
      files: snapshotFiles(source.validated.graph),
      applied: snapshotRuntime(fromState.exists, applied, null).resources,
      evaluated,
    });
    // With --apply --format json, stdout is apply's one JSON document.
    if (!(options.apply && options.format === 'json')) io.stdout(renderPlan(promotion.plan, options.format, io));
    if (reasons.length > 0)
      throw new CommandError(
        'PROMOTE_NOT_READY',
        `not promoting to ${options.to}: ${reasons.join('; ')}; apply the files to ${options.from} and evaluate them there (roster apply --sandbox ${options.from}) before promoting`,
      );
  } finally {
    await db.close();
  }
  if (!options.apply) {
    io.stderr(
      `Every change was applied and evaluated in ${options.from} first; roster promote --apply applies it to ${options.to}.\n`,
    );
    return EXIT.ok;
  }
  return applySavedPlan(
    promotion.saved,
    {
      file: `the promotion to ${options.to}`,
      format: options.format === 'json' ? 'json' : 'text',
      lockTimeoutMs: options.lockTimeoutMs,
      evaluate: options.evaluate,
      remedy: 'run roster promote again',
      showPlan: false,
      tool: 'roster promote',
    },
    io,
  );
}
