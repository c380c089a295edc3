import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { SegmentBinding } from '../../schemas/generated/resource-types';
import { withTransaction } from '../runtime/with-transaction';
import { type ClaimedChange, unclaimChanges } from './claim-changes';
import { type ActivationChange, type DeliveryContext, DeliveryError, type DestinationConnector } from './connector';
import type { RateBudget } from './rate-budget';
import { type MemberReader, readActivationMembers } from './read-activation-members';
import { recordDelivered, recordFailed } from './record-outcome';
import { type RetryPolicy, retryDelayMs } from './retry-delay';

/** Everything one destination's delivery round needs. */
export interface RoundContext {
  pool: Pool;
  schema: string;
  destination: string;
  connector: DestinationConnector;
  bindings: ReadonlyMap<string, { binding: SegmentBinding }>;
  reader: MemberReader;
  policy: RetryPolicy;
  budget: RateBudget;
  delivery: DeliveryContext;
  onBatch?: (event: BatchEvent) => void;
}

/** What happened to one batch (progress output and logs). */
export interface BatchEvent {
  destination: string;
  segment: string;
  batchId: string;
  changes: number;
  outcome: 'delivered' | 'retrying' | 'dead';
  unmatched: number;
  error?: string;
  milliseconds: number;
}

export interface RoundTotals {
  delivered: number;
  unmatched: number;
  retrying: number;
  dead: number;
  batches: number;
  /** The destination asked to be left alone until later (Retry-After, quota): stop the drain. */
  paused: boolean;
}

/**
 * Delivers one claimed round: split per segment into batches of `maxBatchSize`, sent with at most
 * `maxConcurrency` in flight, each recorded in its own transaction as soon as it lands (so a crash
 * loses at most the batches in flight, which are sent again).
 */
export async function deliverRound(round: RoundContext, claimed: readonly ClaimedChange[]): Promise<RoundTotals> {
  const totals: RoundTotals = { delivered: 0, unmatched: 0, retrying: 0, dead: 0, batches: 0, paused: false };
  const queue = splitBatches(claimed, round.connector.maxBatchSize);
  const worker = async () => {
    while (!totals.paused) {
      const batch = queue.shift();
      if (!batch) return;
      await deliverBatch(round, batch, totals);
    }
  };
  // Every batch in flight is recorded before the round ends, even when one of them fails to record
  // (the drain must not unlock the destination while siblings are still sending).
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, round.connector.maxConcurrency) }, worker));
  // Batches not sent because the destination asked to wait: back to pending, the claim undone.
  const unsent = queue.flat().map((c) => c.outboxId);
  if (unsent.length > 0) await unclaimChanges(round.pool, round.schema, unsent);
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return totals;
}

function splitBatches(claimed: readonly ClaimedChange[], size: number): ClaimedChange[][] {
  const bySegment = new Map<string, ClaimedChange[]>();
  for (const change of claimed) {
    const changes = bySegment.get(change.segment);
    if (changes) changes.push(change);
    else bySegment.set(change.segment, [change]);
  }
  const batches: ClaimedChange[][] = [];
  for (const changes of bySegment.values()) {
    for (let i = 0; i < changes.length; i += Math.max(1, size)) batches.push(changes.slice(i, i + size));
  }
  return batches;
}

/** The same changes always make the same batch id, so a receiver can drop a batch it already applied. */
function batchIdOf(destination: string, changes: readonly ClaimedChange[]): string {
  const hash = createHash('sha256').update(destination);
  for (const change of changes) hash.update(`:${change.outboxId}`);
  return hash.digest('hex').slice(0, 24);
}

async function deliverBatch(round: RoundContext, changes: ClaimedChange[], totals: RoundTotals): Promise<void> {
  const started = Date.now();
  const segment = changes[0]!.segment;
  const batchId = batchIdOf(round.destination, changes);
  const event = { destination: round.destination, segment, batchId, changes: changes.length };
  try {
    const binding = round.bindings.get(segment)?.binding ?? { segment };
    const activation = await toActivationChanges(round, segment, changes);
    await round.budget.take(round.delivery.signal);
    const result = await round.connector.deliver(
      { destination: round.destination, segment, binding, batchId, changes: activation },
      round.delivery,
    );
    const unmatched = new Map(result.unmatched.map((u) => [u.outboxId, u.reason]));
    await withTransaction(round.pool, (client) =>
      recordDelivered(client, round.schema, { destination: round.destination, batchId, changes }, unmatched),
    );
    totals.delivered += changes.length - unmatched.size;
    totals.unmatched += unmatched.size;
    totals.batches++;
    round.onBatch?.({ ...event, outcome: 'delivered', unmatched: unmatched.size, milliseconds: Date.now() - started });
  } catch (error) {
    const failure = await recordFailure(round, changes, error);
    totals.retrying += failure.retrying;
    totals.dead += failure.dead;
    totals.batches++;
    totals.paused ||= failure.paused;
    round.onBatch?.({
      ...event,
      outcome: failure.dead > 0 ? 'dead' : 'retrying',
      unmatched: 0,
      error: failure.message,
      milliseconds: Date.now() - started,
    });
  }
}

async function toActivationChanges(
  round: RoundContext,
  segment: string,
  changes: readonly ClaimedChange[],
): Promise<ActivationChange[]> {
  const members = await readActivationMembers(round.pool, round.reader, segment, {
    subjectType: changes[0]!.subjectType,
    subjectIds: changes.map((c) => c.subjectId),
  });
  return changes.map((c) => ({
    outboxId: c.outboxId,
    idempotencyKey: c.idempotencyKey,
    change: c.change,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    changedAt: c.changedAt,
    members: members.get(c.subjectId) ?? [],
  }));
}

async function recordFailure(
  round: RoundContext,
  changes: readonly ClaimedChange[],
  error: unknown,
): Promise<{ retrying: number; dead: number; paused: boolean; message: string }> {
  const known = error instanceof DeliveryError ? error : undefined;
  // Anything that is not a DeliveryError (the database, a bug) is worth another attempt.
  const retryable = known?.retryable ?? true;
  const message = error instanceof Error ? error.message : String(error);
  const attempts = Math.max(...changes.map((c) => c.attempts));
  const delayMs = retryDelayMs(round.policy, attempts, known?.retryAfterMs);
  const paused = retryable && known?.retryAfterMs !== undefined;
  const counts = await recordFailed(round.pool, round.schema, {
    destination: round.destination,
    changes,
    error: message,
    retryable,
    maxAttempts: round.policy.maxAttempts,
    delayMs,
    pauseDestination: paused,
  });
  return { ...counts, paused, message };
}
