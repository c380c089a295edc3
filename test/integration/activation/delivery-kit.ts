import { stringify } from 'yaml';
import { type DrainResult, drainDestination } from '../../../engine/activation/drain-destination';
import { evaluateSegment } from '../../../engine/segment/evaluate-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import type { Row, SegmentWorkspace } from '../segment/segment-sandbox';

/** Env for the roster child processes and the in-process worker: the local receivers are allowed. */
export const DELIVERY_ENV = { ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1', HOOK_SECRET: 'test-hook-secret' };

/** Persons `p1@x.example`.. with these scores. */
export function scoredPersons(scores: number[]): Row[] {
  return scores.map((score, i) => ({ id: `P${i + 1}`, email: `p${i + 1}@x.example`, firstName: `P${i + 1}`, score }));
}

/** A webhook Destination activating `segments` at `url`, signed with HOOK_SECRET, retrying fast. */
export function webhookYaml(
  name: string,
  url: string,
  segments: { segment: string; onRemove?: 'remove' | 'keep' }[],
  retry: { maxAttempts: number; initialDelaySeconds: number } = { maxAttempts: 6, initialDelaySeconds: 0.1 },
): string {
  return stringify({
    apiVersion: 'roster/v1',
    kind: 'Destination',
    metadata: { name },
    spec: {
      type: 'webhook',
      webhook: { url, secret: '{{ secret("HOOK_SECRET") }}', fields: ['email', 'firstName'], batchSize: 2 },
      retry: { ...retry, maxDelaySeconds: 1 },
      segments,
    },
  });
}

/** Evaluates every applied segment (batch) at `now`, as a scheduled cycle would. */
export async function evaluateAll(workspace: SegmentWorkspace, sandbox: string, now: Date): Promise<void> {
  for (const segment of await readAppliedSegments(workspace.pool, sandbox))
    await evaluateSegment(workspace.pool, sandbox, segment, now);
}

/** Drains a destination in this process, as `roster run` does. */
export function drain(workspace: SegmentWorkspace, sandbox: string, destination: string): Promise<DrainResult> {
  return drainDestination({
    pool: workspace.pool,
    sandbox,
    destination,
    environment: { env: { ...DELIVERY_ENV }, cwd: process.cwd(), log: () => {} },
  });
}

/** Drains until nothing is due or waiting, giving retries their time (at most `withinMs`). */
export async function drainUntilSettled(
  workspace: SegmentWorkspace,
  sandbox: string,
  destination: string,
  withinMs = 15_000,
): Promise<DrainResult[]> {
  const results: DrainResult[] = [];
  const deadline = Date.now() + withinMs;
  for (;;) {
    results.push(await drain(workspace, sandbox, destination));
    const { rows } = await workspace.pool.query<{ n: number }>(
      `select count(*)::int as n from roster_${sandbox}.activation_outbox where destination = $1 and status = 'pending'`,
      [destination],
    );
    if (rows[0]!.n === 0 || Date.now() > deadline) return results;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The outbox of a destination: status per change, with the person's email; by email, then in the
 * order each person's changes were written (rows of one evaluation have no order between persons).
 */
export async function outboxOf(
  workspace: SegmentWorkspace,
  sandbox: string,
  destination: string,
): Promise<{ email: string; change: string; status: string; attempts: number; lastError: string | null }[]> {
  const { rows } = await workspace.pool.query(
    `select p.email, o.change, o.status, o.attempts, o.last_error as "lastError"
     from roster_${sandbox}.activation_outbox o join roster_${sandbox}.persons p on p.id = o.subject_id
     where o.destination = $1 order by p.email, o.id`,
    [destination],
  );
  return rows;
}
