import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { localProviders } from '../../../providers/local-providers';
import { readInterruptedApplies, recoverInterruptedApplies } from '../../deploy/apply-journal';
import { ApplyLockedError, acquireApplyLock, lockHolder } from '../../deploy/apply-lock';
import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { type ApplyEvent, executePlan } from '../../deploy/execute-plan';
import { gitCommitOf } from '../../deploy/git-commit';
import type { ResourceGraph } from '../../graph/build-graph';
import { buildPlan } from '../../plan/build-plan';
import { keepPulumiManaged } from '../../plan/keep-pulumi-managed';
import { summarizePlan } from '../../plan/plan';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { openSandbox } from './open-sandbox';
import { type PlanFormat, renderPlan } from './plan-command';

export interface ApplyOptions {
  /** Undefined for `destroy`: nothing is desired. */
  dir?: string;
  sandbox: string;
  yes: boolean;
  lockTimeoutMs: number;
  /** Delete resources `pulumi up` manages when the files no longer hold them (left alone by default). */
  allowDeletePulumiManaged?: boolean;
  format: Exclude<PlanFormat, 'markdown'>;
}

const EMPTY_GRAPH: ResourceGraph = { resources: new Map(), dependencies: new Map(), order: [] };

/**
 * `roster apply` (and, with no directory, `roster destroy`): under the sandbox's single-writer lock,
 * completes any interrupted apply, plans, asks for confirmation unless `--yes`, and drives the
 * providers through the plan with a journal.
 */
export async function runApply(options: ApplyOptions, io: CliIo): Promise<number> {
  const checked = options.dir === undefined ? undefined : await checkConfigDir(options.dir, options.sandbox, io);
  if (checked && checked.problems.length > 0) {
    io.stdout(renderProblemsText(checked.problems));
    return EXIT.failed;
  }
  const db = await openSandbox(options.sandbox, io);
  const tool = options.dir === undefined ? 'roster destroy' : 'roster apply';
  const holder = lockHolder(tool, `${os.userInfo().username}@${os.hostname()}`, process.pid);
  try {
    const lock = await acquireApplyLock(db.pool, options.sandbox, holder, options.lockTimeoutMs).catch((error) => {
      if (!(error instanceof ApplyLockedError)) throw error;
      const wait =
        options.lockTimeoutMs > 0
          ? `; it was still held after ${options.lockTimeoutMs / 1000} s`
          : '; wait for it to finish, or retry with --lock-timeout 5m';
      throw new CommandError('APPLY_LOCKED', `${error.message}${wait}`);
    });
    try {
      return await planAndApply(options, io, db, checked?.root, checked?.validated.graph ?? EMPTY_GRAPH);
    } finally {
      await lock.release();
    }
  } finally {
    await db.close();
  }
}

async function planAndApply(
  options: ApplyOptions,
  io: CliIo,
  db: Awaited<ReturnType<typeof openSandbox>>,
  root: string | undefined,
  graph: ResourceGraph,
): Promise<number> {
  const interrupted = await readInterruptedApplies(db.pool, options.sandbox);
  if (interrupted.length > 0) {
    const recovered = await recoverInterruptedApplies(db.pool, options.sandbox);
    io.stderr(
      `Completing ${recovered.runs} interrupted apply run(s): ${recovered.confirmed} operation(s) had been applied, ${recovered.replanned} are planned again.\n`,
    );
  }
  const gitCommit = root === undefined ? undefined : gitCommitOf(root);
  const context = {
    sandbox: options.sandbox,
    managedBy: 'roster' as const,
    ...(gitCommit ? { gitCommit } : {}),
    ...(root ? { configRoot: root } : {}),
  };
  const plan = keepPulumiManaged(
    buildPlan(graph, await readAppliedResources(db.pool, options.sandbox), context),
    options.allowDeletePulumiManaged === true,
  );
  if (options.format === 'text') io.stdout(renderPlan(plan, 'text', io));
  if (plan.changes.length === 0) {
    if (options.format === 'json')
      io.stdout(
        `${JSON.stringify({ formatVersion: 1, sandbox: options.sandbox, applied: [], failed: null }, null, 2)}\n`,
      );
    return EXIT.ok;
  }
  if (!options.yes && !(await confirm(io, `Apply ${plan.changes.length} change(s) to sandbox ${options.sandbox}?`)))
    return EXIT.failed;
  const run = {
    applyId: randomUUID(),
    appliedBy: io.env.ROSTER_APPLIED_BY || `${os.userInfo().username}@${os.hostname()}`,
    host: os.hostname(),
    pid: process.pid,
    ...(root ? { configDir: root } : {}),
    ...(gitCommit ? { gitCommit } : {}),
  };
  const outcome = await executePlan(db.pool, plan, run, localProviders(db.pool), (event) =>
    io.stderr(progressLine(event)),
  );
  if (options.format === 'json')
    io.stdout(
      `${JSON.stringify({ formatVersion: 1, sandbox: options.sandbox, applyId: outcome.applyId, applied: outcome.applied.map((c) => ({ action: c.action, kind: c.kind, name: c.name })), failed: outcome.failed ? { kind: outcome.failed.change.kind, name: outcome.failed.change.name, error: outcome.failed.error } : null }, null, 2)}\n`,
    );
  if (outcome.failed) {
    const { change, error } = outcome.failed;
    const file = change.after?.sourceFile ?? change.before?.sourceFile;
    throw new CommandError(
      'APPLY_FAILED',
      `${change.action} ${change.key}${file ? ` (${file})` : ''} failed: ${error}; ${outcome.applied.length} of ${plan.changes.length} changes were applied, the rest appear in the next plan`,
    );
  }
  const s = summarizePlan({ ...plan, unchanged: [] });
  if (options.format === 'text')
    io.stdout(
      `Apply complete: ${s.create} created, ${s.update} updated, ${s.replace} replaced, ${s.delete} deleted (apply ${outcome.applyId}).\n`,
    );
  return EXIT.ok;
}

function progressLine(event: ApplyEvent): string {
  const status = event.status === 'done' ? `done (${event.milliseconds} ms)` : `FAILED: ${event.error}`;
  return `[${event.index}/${event.total}] ${event.change.action} ${event.change.key} ... ${status}\n`;
}

async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.confirm) {
    throw new CommandError(
      'APPLY_CONFIRM',
      'not applying: confirmation is needed and there is no terminal to ask; review the plan above and run again with --yes',
    );
  }
  const yes = await io.confirm(`${question} Only "yes" is accepted: `);
  if (!yes) io.stderr('Apply cancelled; nothing was changed.\n');
  return yes;
}
