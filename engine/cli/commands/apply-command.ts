import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readRecordedOperations } from '../../deploy/apply-journal';
import { checkConfigDir, renderProblemsText } from '../../deploy/check-config-dir';
import { gitCommitOf } from '../../deploy/git-commit';
import type { ResourceGraph } from '../../graph/build-graph';
import { buildPlan } from '../../plan/build-plan';
import { findDrift } from '../../plan/find-drift';
import { keepPulumiManaged } from '../../plan/keep-pulumi-managed';
import { segmentsToEvaluate } from '../../plan/segments-to-evaluate';
import type { Database } from '../../runtime/database';
import { readAppliedResources } from '../../runtime/registry/read-registry';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { runApplySavedPlan } from './apply-saved-plan';
import { executeAndReport } from './execute-and-report';
import { openSandbox } from './open-sandbox';
import { type PlanFormat, renderPlan } from './plan-command';
import { underApplyLock } from './under-apply-lock';

export interface ApplyOptions {
  /** Undefined for `destroy`: nothing is desired. A file (not a directory): a saved plan (`roster plan --out`). */
  dir?: string;
  sandbox: string;
  /** `--sandbox` was given on the command line (a saved plan applies to its own sandbox, so it must agree). */
  sandboxGiven?: boolean;
  yes: boolean;
  lockTimeoutMs: number;
  /** Delete resources `pulumi up` manages when the files no longer hold them (left alone by default). */
  allowDeletePulumiManaged?: boolean;
  format: Exclude<PlanFormat, 'markdown'>;
  /** Evaluate the changed segments and their dependents once applied (the CLI's default; `--no-evaluate`). */
  evaluate?: boolean;
}

const EMPTY_GRAPH: ResourceGraph = { resources: new Map(), dependencies: new Map(), order: [] };

/**
 * `roster apply` (and, with no directory, `roster destroy`): under the sandbox's single-writer lock,
 * completes any interrupted apply, plans, asks for confirmation unless `--yes`, and drives the
 * providers through the plan with a journal. Given a saved plan file, applies that plan instead.
 */
export async function runApply(options: ApplyOptions, io: CliIo): Promise<number> {
  if (options.dir !== undefined && (await isFile(path.resolve(io.cwd, options.dir)))) {
    const expectedSandbox = options.sandboxGiven ? { expectedSandbox: options.sandbox } : {};
    return runApplySavedPlan({ ...options, ...expectedSandbox, file: options.dir }, io);
  }
  const checked = options.dir === undefined ? undefined : await checkConfigDir(options.dir, options.sandbox, io);
  if (checked && checked.problems.length > 0) {
    io.stdout(renderProblemsText(checked.problems));
    return EXIT.failed;
  }
  const db = await openSandbox(options.sandbox, io);
  const tool = options.dir === undefined ? 'roster destroy' : 'roster apply';
  return underApplyLock(db, { ...options, tool }, io, () =>
    planAndApply(options, io, db, checked?.root, checked?.validated.graph ?? EMPTY_GRAPH),
  );
}

async function isFile(file: string): Promise<boolean> {
  return (await fs.stat(file).catch(() => undefined))?.isFile() === true;
}

async function planAndApply(
  options: ApplyOptions,
  io: CliIo,
  db: Database,
  root: string | undefined,
  graph: ResourceGraph,
): Promise<number> {
  const gitCommit = root === undefined ? undefined : gitCommitOf(root);
  const context = {
    sandbox: options.sandbox,
    managedBy: 'roster' as const,
    ...(gitCommit ? { gitCommit } : {}),
    ...(root ? { configRoot: root } : {}),
  };
  const applied = await readAppliedResources(db.pool, options.sandbox);
  const plan = keepPulumiManaged(buildPlan(graph, applied, context), options.allowDeletePulumiManaged === true);
  plan.drift = findDrift(applied, await readRecordedOperations(db.pool, options.sandbox));
  // Callers that evaluate on their own (the demo, after ingesting) pass no `evaluate`: the plan then says nothing.
  if (options.dir !== undefined && options.evaluate !== undefined)
    plan.afterApply = { evaluate: options.evaluate, segments: segmentsToEvaluate(plan.changes, graph) };
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
  return executeAndReport(plan, { ...options, ...(root ? { root } : {}), ...(gitCommit ? { gitCommit } : {}) }, db, io);
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
