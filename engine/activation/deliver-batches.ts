import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { SegmentBinding } from '../../schemas/generated/resource-types';
import { withTransaction } from '../runtime/with-transaction';
import { type ClaimedChange, claimChanges } from './claim-changes';
import { type ActivationChange, type DeliveryContext, DeliveryError, type DestinationConnector } from './connector';
import type { RateBudget } from './rate-budget';
import { type MemberReader, readActivationMembers, readCurrentMembers } from './read-activation-members';
import { recordDelivered, recordFailed } from './record-outcome';
import { type RetryPolicy, retryDelayMs } from './retry-delay';

/** Everything the delivery of one destination's due changes needs. */
export interface DeliveryRun {
  pool: Pool;
  /** Scopes the batch ids and idempotency keys that leave the platform (decision 38). */
  sandbox: string;
  schema: string;
  destination: string;
  connector: DestinationConnector;
  bindings: ReadonlyMap<string, { binding: SegmentBinding }>;
  reader: MemberReader;
  policy: RetryPolicy;
  budget: RateBudget;
  /** Cancels the requests in flight (their changes stay pending). */
  signal: AbortSignal;
  /** Stops claiming new batches; those in flight land and are recorded. */
  finish?: AbortSignal;
  log: DeliveryContext['log'];
  /** A scheduled destination delivers the changes up to this outbox id only. */
  throughId: number | null;
  onBatch?: (event: BatchEvent) => void;
  /** Called (at most once a second) after batches landed, to record the destination's last success. */
  onSuccess?: () => Promise<void>;
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

export interface DeliveryTotals {
  delivered: number;
  unmatched: number;
  retrying: number;
  dead: number;
  batches: number;
  /** Why delivery stopped before nothing was due (the destination asked to wait, or is failing). */
  stopped?: string;
}

/**
 * Delivers a destination's due changes until none is left, with `maxConcurrency` batches in flight
 * (at most half the pool's connections, so that evaluation, jobs and other destinations keep
 * theirs). Each batch is one transaction on its own pooled connection: claim (row locks), read the
 * members, send, record the outcome, commit. A change is therefore written once, and a worker that
 * dies mid-batch releases its claim with its connection; the batch is sent again (at least once,
 * decision 27). Delivery stops early when the destination asks to wait (Retry-After, quota), when
 * as many batches in a row as are in flight failed and will be retried (it is down; retries come
 * when due), on `finish` (no new batch; those in flight land) or on `signal` (requests cancelled).
 */
export async function deliverBatches(run: DeliveryRun): Promise<DeliveryTotals> {
  const totals: DeliveryTotals = { delivered: 0, unmatched: 0, retrying: 0, dead: 0, batches: 0 };
  const concurrency = Math.max(1, run.connector.maxConcurrency);
  const workers = Math.min(concurrency, Math.max(1, Math.floor((run.pool.options.max ?? 10) / 2)));
  const progress = new Progress(workers, run.onSuccess);
  const ending = () => totals.stopped !== undefined || run.signal.aborted || run.finish?.aborted === true;
  const worker = async () => {
    while (!ending()) {
      // The pace is kept before a connection is taken: a batch waiting for its turn holds no rows.
      const paced = await run.budget.take(run.signal).then(
        () => true,
        () => false, // cancelled
      );
      if (!paced) return;
      progress.active++;
      let held = false;
      let alone = false;
      const outcome = await withTransaction(run.pool, (client) =>
        deliverNextBatch(run, client, totals, progress, () => {
          held = true;
        }),
      )
        .catch((error: unknown) => {
          totals.stopped ??= 'a batch could not be recorded'; // the siblings finish; the drain reports the error
          throw error;
        })
        .finally(() => {
          alone = progress.ended(held);
        });
      if (outcome === 'empty') {
        // An empty claim proves nothing while other batches are in flight: their subjects' later
        // changes wait for them. Look again when one of them is done; stop when none is left.
        // (A worker whose batch ends always claims again, so the changes its commit made due are
        // never left behind.)
        if (alone || !(await progress.nextEnd())) return;
      } else {
        progress.count(outcome, totals);
      }
    }
  };
  // Every batch in flight is recorded before delivery ends, even when one of them fails to record
  // (the drain must not unlock the destination while siblings are still sending).
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  await progress.flushSuccess();
  const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
  return totals;
}

/** Batches in flight, consecutive failures, and the throttled success record. */
class Progress {
  /** Workers between the start of a claim and the end of its transaction. */
  active = 0;
  private failuresInARow = 0;
  private waiters: ((again: boolean) => void)[] = [];
  private successPending = false;
  private lastSuccessAt = 0;
  private recording: Promise<void> = Promise.resolve();
  private claiming: Promise<unknown> = Promise.resolve();

  constructor(
    /** Batches in flight at most: that many failures in a row mean every batch failed. */
    private readonly workers: number,
    private readonly onSuccess: (() => Promise<void>) | undefined,
  ) {}

  /**
   * A worker's transaction ended; true when no other worker is claiming or delivering. Waiting
   * workers claim again when it held changes (the changes waiting for its subjects may be due
   * now), and stop when nobody is left claiming. An empty claim beside others wakes nobody: workers
   * would wake each other without end.
   */
  ended(held: boolean): boolean {
    this.active--;
    if (held || this.active === 0) for (const wake of this.waiters.splice(0)) wake(held);
    return this.active === 0;
  }

  /** Resolves true when a batch that held changes ended (claim again), false when all went idle (stop). */
  nextEnd(): Promise<boolean> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Runs claims one at a time. Claims that run side by side share out the due changes between
   * them: four workers would send three due changes as three batches instead of one (and to
   * Marketo, spend calls on it). One after another, each claim sees the rows the previous one
   * locked and takes a full batch of the rest; a claim takes milliseconds, the batch's delivery
   * far longer, so batches in flight still overlap.
   */
  serially<T>(claim: () => Promise<T>): Promise<T> {
    const turn = this.claiming.then(claim);
    this.claiming = turn.catch(() => undefined);
    return turn;
  }

  count(outcome: Exclude<BatchOutcome, 'empty'>, totals: DeliveryTotals): void {
    if (outcome === 'landed') {
      this.failuresInARow = 0;
      this.successPending = true;
      if (Date.now() - this.lastSuccessAt >= 1000) void this.flushSuccess();
    } else if (outcome === 'retrying' && ++this.failuresInARow >= this.workers) {
      // Dead letters do not count: a change retrying cannot fix says nothing about the next one.
      totals.stopped ??= 'every batch failed';
    }
  }

  /** Records the last success now if batches landed since the last record; resolves when it is written. */
  flushSuccess(): Promise<void> {
    const onSuccess = this.onSuccess;
    if (this.successPending && onSuccess) {
      this.successPending = false;
      this.lastSuccessAt = Date.now();
      // Informational, so a failure is ignored: the outcomes themselves are recorded.
      this.recording = this.recording.then(() => onSuccess().catch(() => undefined));
    }
    return this.recording;
  }
}

/** What became of a batch: nothing claimed, delivered, or its first failed segment's outcome. */
type BatchOutcome = 'empty' | 'landed' | 'retrying' | 'dead' | 'cancelled';

/**
 * One batch, in the caller's transaction: claims up to `maxBatchSize` due changes and delivers
 * them per segment. After a segment's part fails (or is cancelled), the rest is not sent: it stays
 * pending, unlocked at the commit that follows at once, and the next claim takes it again.
 */
async function deliverNextBatch(
  run: DeliveryRun,
  client: PoolClient,
  totals: DeliveryTotals,
  progress: Progress,
  onClaimed: () => void,
): Promise<BatchOutcome> {
  // The claim's cost estimate assumes the whole open-change index may be walked (the planner cannot
  // know the first rows qualify), which is above `jit_above_cost`: PostgreSQL then JIT-compiles it
  // for every batch, about 90 ms of a claim that runs in 2 ms (measured at 100,000 changes).
  await client.query('set local jit = off');
  const claimed = await progress.serially(() =>
    claimChanges(client, run.schema, {
      destination: run.destination,
      limit: Math.max(1, run.connector.maxBatchSize),
      throughId: run.throughId,
    }),
  );
  if (claimed.length === 0) return 'empty';
  onClaimed();
  const parts = bySegment(claimed);
  for (const [index, changes] of parts.entries()) {
    // The first part's request was paced before the claim.
    if (
      index > 0 &&
      !(await run.budget.take(run.signal).then(
        () => true,
        () => false,
      ))
    )
      return 'cancelled';
    const outcome = await deliverPart(run, client, changes, totals);
    if (outcome !== 'landed') return outcome;
  }
  return 'landed';
}

function bySegment(claimed: readonly ClaimedChange[]): ClaimedChange[][] {
  const parts = new Map<string, ClaimedChange[]>();
  for (const change of claimed) {
    const part = parts.get(change.segment);
    if (part) part.push(change);
    else parts.set(change.segment, [change]);
  }
  return [...parts.values()];
}

/**
 * The same changes always make the same batch id, so a receiver can drop a batch it already applied.
 * Outbox ids are only unique within a sandbox: the sandbox is part of the id, or a receiver shared
 * by two sandboxes (one directory, one webhook) would drop the second one's batches as replays.
 */
function batchIdOf(run: DeliveryRun, changes: readonly ClaimedChange[]): string {
  const hash = createHash('sha256').update(`${run.sandbox}:${run.destination}`);
  for (const change of changes) hash.update(`:${change.outboxId}`);
  return hash.digest('hex').slice(0, 24);
}

/**
 * Sends one segment's changes and records the outcome. The send runs under a savepoint: a failed
 * member read leaves the transaction usable, so the failure is recorded as an attempt (and the
 * parts already delivered stay recorded) instead of the whole batch rolling back again and again.
 */
async function deliverPart(
  run: DeliveryRun,
  client: PoolClient,
  changes: ClaimedChange[],
  totals: DeliveryTotals,
): Promise<Exclude<BatchOutcome, 'empty'>> {
  const started = Date.now();
  const segment = changes[0]!.segment;
  const batchId = batchIdOf(run, changes);
  const event = { destination: run.destination, segment, batchId, changes: changes.length };
  let result: Awaited<ReturnType<DestinationConnector['deliver']>>;
  await client.query('savepoint deliver_part');
  try {
    const binding = run.bindings.get(segment)?.binding ?? { segment };
    const activation = await toActivationChanges(run, client, segment, changes);
    result = await run.connector.deliver(
      { destination: run.destination, segment, binding, batchId, changes: activation },
      // Everything a batch reads goes through its own connection: a second one taken from the pool
      // while holding the first could wait forever once every pooled connection is a batch in flight.
      { signal: run.signal, log: run.log, currentMembers: (s) => readCurrentMembers(client, run.reader, s) },
    );
  } catch (error) {
    await client.query('rollback to savepoint deliver_part');
    // Cancelled (shutdown): not an attempt; the changes stay pending for the next worker.
    if (run.signal.aborted) return 'cancelled';
    const failure = await recordFailure(run, client, changes, error);
    totals.retrying += failure.retrying;
    totals.dead += failure.dead;
    totals.batches++;
    if (failure.paused) totals.stopped ??= 'the destination asked to wait (Retry-After or quota)';
    run.onBatch?.({
      ...event,
      outcome: failure.dead > 0 ? 'dead' : 'retrying',
      unmatched: 0,
      error: failure.message,
      milliseconds: Date.now() - started,
    });
    return failure.retrying > 0 ? 'retrying' : 'dead';
  }
  const unmatched = new Map(result.unmatched.map((u) => [u.outboxId, u.reason]));
  await recordDelivered(client, run.schema, { destination: run.destination, batchId, changes }, unmatched);
  totals.delivered += changes.length - unmatched.size;
  totals.unmatched += unmatched.size;
  totals.batches++;
  run.onBatch?.({ ...event, outcome: 'delivered', unmatched: unmatched.size, milliseconds: Date.now() - started });
  return 'landed';
}

async function toActivationChanges(
  run: DeliveryRun,
  client: PoolClient,
  segment: string,
  changes: readonly ClaimedChange[],
): Promise<ActivationChange[]> {
  const members = await readActivationMembers(client, run.reader, segment, {
    subjectType: changes[0]!.subjectType,
    subjectIds: changes.map((c) => c.subjectId),
  });
  return changes.map((c) => ({
    outboxId: c.outboxId,
    // Stored keys are unique within the sandbox's outbox; the sandbox makes them unique where they land.
    idempotencyKey: `${run.sandbox}:${c.idempotencyKey}`,
    change: c.change,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    changedAt: c.changedAt,
    members: members.get(c.subjectId) ?? [],
  }));
}

async function recordFailure(
  run: DeliveryRun,
  client: PoolClient,
  changes: readonly ClaimedChange[],
  error: unknown,
): Promise<{ retrying: number; dead: number; paused: boolean; message: string }> {
  const known = error instanceof DeliveryError ? error : undefined;
  // Anything that is not a DeliveryError (a bug, a member read that failed) is worth another attempt.
  const retryable = known?.retryable ?? true;
  const message = error instanceof Error ? error.message : String(error);
  const attempts = Math.max(...changes.map((c) => c.attempts));
  const delayMs = retryDelayMs(run.policy, attempts, known?.retryAfterMs);
  const paused = retryable && known?.retryAfterMs !== undefined;
  const counts = await recordFailed(client, run.schema, {
    destination: run.destination,
    changes,
    error: message,
    retryable,
    maxAttempts: run.policy.maxAttempts,
    delayMs,
    pauseDestination: paused,
  });
  return { ...counts, paused, message };
}
