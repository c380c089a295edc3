import type * as pulumi from '@pulumi/pulumi';
import type { Pool } from 'pg';
import type { ResourceKind } from '../config/resource';
import type { Plan, PlannedChange } from '../plan/plan';
import { type ApplyRunInfo, finishApplyRun, markJournalEntry, startApplyRun } from './apply-journal';

/** What happened to each change, reported as it happens (progress on long applies). */
export interface ApplyEvent {
  index: number;
  total: number;
  change: PlannedChange;
  status: 'done' | 'failed';
  milliseconds: number;
  error?: string;
}

export interface ApplyOutcome {
  applyId: string;
  applied: PlannedChange[];
  /** The change that failed, if any; the ones after it were not attempted. */
  failed?: { change: PlannedChange; error: string };
}

export type ProvidersByKind = Record<ResourceKind, pulumi.dynamic.ResourceProvider>;

/**
 * Drives the providers through the plan in its order (dependencies first, deletes last in reverse
 * order), with a journal: the run and its operations are written first, each operation is marked
 * as it completes. Each provider call is one transaction, so a failure or a crash leaves every
 * resource either applied or untouched; the run stops at the first failure.
 */
export async function executePlan(
  pool: Pool,
  plan: Plan,
  run: ApplyRunInfo,
  providers: ProvidersByKind,
  onEvent: (event: ApplyEvent) => void = () => {},
): Promise<ApplyOutcome> {
  await startApplyRun(pool, plan.sandbox, run, plan.changes);
  const applied: PlannedChange[] = [];
  for (const [i, change] of plan.changes.entries()) {
    const started = Date.now();
    try {
      await callProvider(providers[change.kind], change);
      await markJournalEntry(pool, plan.sandbox, run.applyId, i + 1, { status: 'done' });
      applied.push(change);
      onEvent({ index: i + 1, total: plan.changes.length, change, status: 'done', milliseconds: Date.now() - started });
    } catch (cause) {
      const error = cause instanceof Error ? cause.message : String(cause);
      await markJournalEntry(pool, plan.sandbox, run.applyId, i + 1, { status: 'failed', error });
      await finishApplyRun(pool, plan.sandbox, run.applyId, { status: 'failed', error: `${change.key}: ${error}` });
      onEvent({
        index: i + 1,
        total: plan.changes.length,
        change,
        status: 'failed',
        milliseconds: Date.now() - started,
        error,
      });
      return { applyId: run.applyId, applied, failed: { change, error } };
    }
  }
  await finishApplyRun(pool, plan.sandbox, run.applyId, { status: 'completed' });
  return { applyId: run.applyId, applied };
}

async function callProvider(provider: pulumi.dynamic.ResourceProvider, change: PlannedChange): Promise<void> {
  const id = `${(change.after ?? change.before)!.sandbox}/${change.kind}/${change.name}`;
  switch (change.action) {
    case 'create':
      await provider.create(change.after!);
      return;
    case 'update':
    case 'replace':
      await provider.update!(id, change.before!, change.after!);
      return;
    case 'delete':
      await provider.delete!(id, change.before!);
      return;
  }
}
