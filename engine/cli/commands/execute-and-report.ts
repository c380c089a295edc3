import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { localProviders } from '../../../providers/local-providers';
import { type ApplyEvent, executePlan } from '../../deploy/execute-plan';
import { type Plan, summarizePlan } from '../../plan/plan';
import type { Database } from '../../runtime/database';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { evaluateAfterApply } from './evaluate-after-apply';

/**
 * Drives the providers through `plan` with a journal, reports the outcome, then evaluates what
 * `plan.afterApply` names. A failed provider call becomes APPLY_FAILED (exit 1).
 */
export async function executeAndReport(
  plan: Plan,
  options: { format: 'text' | 'json'; root?: string; gitCommit?: string },
  db: Database,
  io: CliIo,
): Promise<number> {
  const run = {
    applyId: randomUUID(),
    appliedBy: io.env.ROSTER_APPLIED_BY || `${os.userInfo().username}@${os.hostname()}`,
    host: os.hostname(),
    pid: process.pid,
    ...(options.root ? { configDir: options.root } : {}),
    ...(options.gitCommit ? { gitCommit: options.gitCommit } : {}),
  };
  const outcome = await executePlan(db.pool, plan, run, localProviders(db.pool), (event) =>
    io.stderr(progressLine(event)),
  );
  const evaluated = outcome.failed ? [] : await evaluateAfterApply(db.pool, plan);
  if (options.format === 'json')
    io.stdout(
      `${JSON.stringify({ formatVersion: 1, sandbox: plan.sandbox, applyId: outcome.applyId, applied: outcome.applied.map((c) => ({ action: c.action, kind: c.kind, name: c.name })), failed: outcome.failed ? { kind: outcome.failed.change.kind, name: outcome.failed.change.name, error: outcome.failed.error } : null, evaluated }, null, 2)}\n`,
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
  if (options.format === 'text') {
    const drifted = new Map((plan.drift ?? []).map((d) => [d.key, d]));
    for (const change of outcome.applied.filter((c) => drifted.has(c.key) && c.action !== 'delete'))
      io.stdout(`Restored ${change.key} to the files' version; it had changed outside Roster.\n`);
    for (const e of evaluated)
      io.stdout(
        `Evaluated Segment/${e.segment} (revision ${e.revision}): ${e.size} members, ${e.entered} entered, ${e.exited} exited.\n`,
      );
    io.stdout(
      `Apply complete: ${s.create} created, ${s.update} updated, ${s.replace} replaced, ${s.delete} deleted (apply ${outcome.applyId}).\n`,
    );
  }
  return EXIT.ok;
}

function progressLine(event: ApplyEvent): string {
  const status = event.status === 'done' ? `done (${event.milliseconds} ms)` : `FAILED: ${event.error}`;
  return `[${event.index}/${event.total}] ${event.change.action} ${event.change.key} ... ${status}\n`;
}
