import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Queryable } from '../runtime/queryable';
import { withTransaction } from '../runtime/with-transaction';
import { type Claim, type ClaimedChange, claimChanges } from './claim-changes';
import { type ActivationChange, DeliveryError, type DestinationConnector } from './connector';
import type { DeliveryProgress } from './delivery-progress';
import type { BatchOutcome, DeliveryRun, DeliveryTotals } from './delivery-run';
import { readActivationMembers, readCurrentMembers } from './read-activation-members';
import { recordDelivered, recordFailed, releaseClaim } from './record-outcome';
import { keepLeaseAlive } from './renew-lease';
import { retryDelayMs } from './retry-delay';

/** The changes of one claim and the token that owns them. */
interface HeldClaim {
  owner: string;
  changes: readonly ClaimedChange[];
}

/**
 * One batch, claim - send - record: claims up to `maxBatchSize` due changes in a short transaction
 * (leased to a token of this batch), sends them per segment with no transaction open and no
 * connection held (the lease renewed meanwhile), and records each segment's outcome in a short
 * transaction of its own. After a segment's part fails (or is cancelled), the rest is not sent: it
 * is released, due at once, and the next claim takes it again. A batch holding a change whose
 * worker died before is sent alone (`holdClaims`).
 */
export async function deliverNextBatch(
  run: DeliveryRun,
  totals: DeliveryTotals,
  progress: DeliveryProgress,
  onClaimed: () => void,
): Promise<BatchOutcome> {
  const owner = `${hostname()}/${process.pid}/${randomUUID()}`;
  let releaseClaims: (() => void) | undefined;
  const claim = await progress.serially(async () => {
    const taken = await claimBatch(run, owner);
    if (taken.changes.some((c) => c.lostClaims > 0)) releaseClaims = progress.holdClaims();
    return taken;
  });
  if (claim.deadLettered > 0) {
    reportPoisoned(run, claim.deadLettered, totals);
    onClaimed(); // the changes that waited behind them may be due now
  }
  if (claim.changes.length === 0) {
    releaseClaims?.();
    return claim.deadLettered > 0 ? 'dead' : 'empty';
  }
  onClaimed();
  progress.claimed();
  const held = { owner, changes: claim.changes };
  const stopRenewing = keepLeaseAlive(run.pool, run.schema, { ...held, leaseMs: run.leaseMs }, run.log);
  try {
    if (releaseClaims) await progress.othersLanded();
    return await sendParts(run, held, totals);
  } finally {
    stopRenewing();
    progress.landed();
    releaseClaims?.();
  }
}

/** The claim, committed before anything is sent. */
function claimBatch(run: DeliveryRun, owner: string): Promise<Claim> {
  return withTransaction(run.pool, async (client) => {
    // The claim's cost estimate assumes the whole open-change index may be walked (the planner
    // cannot know the first rows qualify), which is above `jit_above_cost`: PostgreSQL then
    // JIT-compiles it for every batch, about 90 ms of a claim that runs in 2 ms (100,000 changes).
    // Its commit need not wait for the WAL flush: a claim lost in a database crash only leaves its
    // changes unclaimed, to be sent again (at least once), and this batch's record, which requires
    // the claim, then records nothing. The outcome's commit does wait.
    await client.query('set local jit = off; set local synchronous_commit = off');
    return claimChanges(client, run.schema, {
      destination: run.destination,
      limit: Math.max(1, run.connector.maxBatchSize),
      throughId: run.throughId,
      owner,
      leaseMs: run.leaseMs,
      maxLostClaims: run.maxLostClaims,
    });
  });
}

function reportPoisoned(run: DeliveryRun, count: number, totals: DeliveryTotals): void {
  totals.dead += count;
  run.log({
    level: 'warn',
    msg: 'changes dead-lettered: their worker stopped every time it sent them',
    destination: run.destination,
    changes: count,
    claims: run.maxLostClaims,
  });
}

async function sendParts(
  run: DeliveryRun,
  claim: HeldClaim,
  totals: DeliveryTotals,
): Promise<Exclude<BatchOutcome, 'empty'>> {
  const parts = bySegment(claim.changes);
  for (const [index, changes] of parts.entries()) {
    // The first part's request was paced before the claim.
    const paced =
      index === 0 ||
      (await run.budget.take(run.signal).then(
        () => true,
        () => false, // cancelled
      ));
    const outcome = paced ? await deliverPart(run, { owner: claim.owner, changes }, totals) : 'cancelled';
    if (outcome !== 'landed') {
      // What was not sent goes back at once, its claim uncounted: no worker died holding it.
      const unsent = parts.slice(outcome === 'cancelled' ? index : index + 1).flat();
      if (unsent.length > 0) await releaseClaim(run.pool, run.schema, { owner: claim.owner, changes: unsent });
      return outcome;
    }
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
 * Sends one segment's changes and records the outcome. No transaction is open while the member
 * fields are read and the destination answers: a failed read or send is recorded as an attempt in
 * a short transaction of its own (the parts already delivered stay recorded).
 */
async function deliverPart(
  run: DeliveryRun,
  claim: HeldClaim,
  totals: DeliveryTotals,
): Promise<Exclude<BatchOutcome, 'empty'>> {
  const started = Date.now();
  const { changes } = claim;
  const segment = changes[0]!.segment;
  const batchId = batchIdOf(run, changes);
  const event = { destination: run.destination, segment, batchId, changes: changes.length };
  let result: Awaited<ReturnType<DestinationConnector['deliver']>>;
  try {
    const binding = run.bindings.get(segment)?.binding ?? { segment };
    const activation = await toActivationChanges(run, segment, changes);
    result = await run.connector.deliver(
      { destination: run.destination, segment, binding, batchId, changes: activation },
      { signal: run.signal, log: run.log, currentMembers: (s) => readCurrentMembers(run.pool, run.reader, s) },
    );
  } catch (error) {
    // Cancelled (shutdown): not an attempt; the caller releases the changes for the next worker.
    if (run.signal.aborted) return 'cancelled';
    const failure = await withTransaction(run.pool, (client) => recordFailure(run, client, claim, error));
    totals.retrying += failure.retrying;
    totals.dead += failure.dead;
    totals.batches++;
    if (failure.paused) totals.stopped ??= 'the destination asked to wait (Retry-After or quota)';
    const outcome = failure.dead > 0 ? 'dead' : 'retrying';
    run.onBatch?.({ ...event, outcome, unmatched: 0, error: failure.message, milliseconds: Date.now() - started });
    return failure.retrying > 0 ? 'retrying' : 'dead';
  }
  const unmatched = new Map(result.unmatched.map((u) => [u.outboxId, u.reason]));
  const recorded = await withTransaction(run.pool, (client) =>
    recordDelivered(client, run.schema, { destination: run.destination, batchId, ...claim }, unmatched),
  );
  if (recorded.length < changes.length) warnLeaseLost(run, claim, changes.length - recorded.length);
  const unmatchedRecorded = recorded.filter((id) => unmatched.has(id)).length;
  totals.delivered += recorded.length - unmatchedRecorded;
  totals.unmatched += unmatchedRecorded;
  totals.batches++;
  run.onBatch?.({ ...event, outcome: 'delivered', unmatched: unmatched.size, milliseconds: Date.now() - started });
  return 'landed';
}

/** Another worker claimed these changes after this one's lease ran out: its outcome is the one recorded. */
function warnLeaseLost(run: DeliveryRun, claim: HeldClaim, count: number): void {
  run.log({
    level: 'warn',
    msg: 'delivery lease lost: the changes were claimed again, their outcome is recorded by that worker',
    destination: run.destination,
    owner: claim.owner,
    changes: count,
  });
}

async function toActivationChanges(
  run: DeliveryRun,
  segment: string,
  changes: readonly ClaimedChange[],
): Promise<ActivationChange[]> {
  const members = await readActivationMembers(run.pool, run.reader, segment, {
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
  client: Queryable,
  claim: HeldClaim,
  error: unknown,
): Promise<{ retrying: number; dead: number; paused: boolean; message: string }> {
  const known = error instanceof DeliveryError ? error : undefined;
  // Anything that is not a DeliveryError (a bug, a member read that failed) is worth another attempt.
  const retryable = known?.retryable ?? true;
  const message = error instanceof Error ? error.message : String(error);
  const attempts = Math.max(...claim.changes.map((c) => c.attempts));
  const delayMs = retryDelayMs(run.policy, attempts, known?.retryAfterMs);
  const paused = retryable && known?.retryAfterMs !== undefined;
  const counts = await recordFailed(client, run.schema, {
    destination: run.destination,
    owner: claim.owner,
    changes: claim.changes,
    error: message,
    retryable,
    maxAttempts: run.policy.maxAttempts,
    delayMs,
    pauseDestination: paused,
  });
  return { ...counts, paused, message };
}
