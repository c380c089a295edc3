import type { Pool } from 'pg';
import { MissingSecretError } from '../ingest/resolve-secret';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { buildConnector, closeConnector } from './build-connector';
import { claimChanges, releaseInFlight, unclaimChanges } from './claim-changes';
import { type ConnectorEnvironment, type DestinationConnector, destinationFields } from './connector';
import { type BatchEvent, deliverRound, type RoundContext } from './deliver-round';
import { readControl } from './destination-control';
import { tryLockDestination } from './destination-lock';
import { RateBudget } from './rate-budget';
import { type MemberReader, readCurrentMembers } from './read-activation-members';
import { type ActivationConfig, readActivationConfig } from './read-applied-destinations';
import { recordSuccess } from './record-outcome';
import { retryPolicyOf } from './retry-delay';
import { syncBindings } from './sync-bindings';

export interface DrainOptions {
  pool: Pool;
  sandbox: string;
  destination: string;
  environment: ConnectorEnvironment;
  signal?: AbortSignal;
  /** Deliver every pending change now, also for a destination with a `schedule` (an on-demand run). */
  releaseAll?: boolean;
  onBatch?: (event: BatchEvent) => void;
  /** The applied configuration, when the caller already read it. */
  config?: ActivationConfig;
}

/** How a drain ended: `drained` (nothing due is left), or why it did not run or stopped early. */
export interface DrainResult {
  destination: string;
  status: 'drained' | 'busy' | 'paused' | 'waiting' | 'skipped' | 'unknown';
  /** Why it was skipped, paused or is waiting. */
  reason?: string;
  backfilled: number;
  removed: number;
  delivered: number;
  unmatched: number;
  retrying: number;
  dead: number;
  batches: number;
}

/**
 * Delivers a destination's due changes until none is left: takes the destination's lock (one
 * worker per destination across all processes; another holder means `busy`), puts back what a
 * dead worker left in flight, brings bindings in line (backfill, removals), then claims and
 * delivers rounds. A paused destination accumulates; a destination that asked to wait (Retry-After, quota)
 * is left alone until then; a missing secret skips it with the variable to set.
 */
export async function drainDestination(options: DrainOptions): Promise<DrainResult> {
  const schema = sandboxSchema(options.sandbox);
  const result: DrainResult = { destination: options.destination, status: 'drained', ...ZERO };
  const config = options.config ?? (await readActivationConfig(options.pool, options.sandbox));
  const destination = config.destinations.find((d) => d.name === options.destination);
  if (!destination) return { ...result, status: 'unknown', reason: 'not an applied destination' };
  const lock = await tryLockDestination(options.pool, schema, destination.name);
  if (!lock) return { ...result, status: 'busy', reason: 'another worker is delivering it' };
  let connector: DestinationConnector | undefined;
  try {
    const state = await readControl(options.pool, schema, destination.name);
    if (state.paused) return { ...result, status: 'paused', reason: 'paused with roster destination pause' };
    // Changes a dead worker left in flight go back to pending first, so that a binding removed
    // meanwhile cancels them too.
    await releaseInFlight(options.pool, schema, destination.name);
    const sync = await syncBindings(options.pool, schema, destination);
    Object.assign(result, { backfilled: sync.backfilled, removed: sync.removed });
    if (state.resumeAt && state.resumeAt > new Date())
      return { ...result, status: 'waiting', reason: `asked to wait until ${state.resumeAt.toISOString()}` };
    try {
      connector = await buildConnector(options.pool, schema, destination, options.environment);
    } catch (error) {
      if (error instanceof MissingSecretError) return { ...result, status: 'skipped', reason: error.message };
      throw error;
    }
    const reader: MemberReader = {
      schema,
      catalog: config.catalog,
      fields: destinationFields(destination.spec),
      segmentSpec: (segment) => config.segments.get(segment),
    };
    const round: RoundContext = {
      pool: options.pool,
      schema,
      destination: destination.name,
      connector,
      bindings: sync.bindings,
      reader,
      policy: retryPolicyOf(destination.spec),
      budget: new RateBudget(destination.spec.rateLimit?.requestsPerSecond),
      delivery: {
        currentMembers: (segment) => readCurrentMembers(options.pool, reader, segment),
        signal: options.signal ?? new AbortController().signal,
        log: options.environment.log,
      },
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    };
    const throughId = destination.spec.schedule && !options.releaseAll ? (state.releasedThrough ?? 0) : null;
    return await deliverRounds(round, throughId, result, options.signal);
  } finally {
    if (connector) await closeConnector(options.pool, schema, destination.name, connector);
    await lock.unlock();
  }
}

const ZERO = { backfilled: 0, removed: 0, delivered: 0, unmatched: 0, retrying: 0, dead: 0, batches: 0 };

/**
 * Claims and delivers rounds until nothing is due. The next round is claimed while the current one
 * is being delivered (claiming thousands of changes costs about as much as sending them); that is
 * safe because a claimed change is `sending`, which keeps it and every later change of its subject
 * out of the next claim. A prefetched round that will not be delivered is unclaimed; an empty one
 * is claimed again once the round is done.
 */
async function deliverRounds(
  round: RoundContext,
  throughId: number | null,
  result: DrainResult,
  signal: AbortSignal | undefined,
): Promise<DrainResult> {
  const limit = Math.max(1, round.connector.maxConcurrency) * Math.max(1, round.connector.maxBatchSize);
  const claim = () => claimChanges(round.pool, round.schema, { destination: round.destination, limit, throughId });
  let next = claim();
  let prefetched = false;
  for (;;) {
    let claimed = await next;
    // A claim made while the previous round was in flight cannot see the later changes of that
    // round's subjects (they wait for it): empty, it proves nothing, so claim again now.
    if (claimed.length === 0 && prefetched) claimed = await claim();
    if (claimed.length === 0) return result;
    if (signal?.aborted) {
      await unclaimChanges(
        round.pool,
        round.schema,
        claimed.map((c) => c.outboxId),
      );
      return result;
    }
    next = claim();
    prefetched = true;
    const totals = await deliverRound(round, claimed).catch(async (error: unknown) => {
      await next.catch(() => undefined); // left `sending`: the next drain puts it back
      throw error;
    });
    if (totals.delivered + totals.unmatched > 0) await recordSuccess(round.pool, round.schema, round.destination);
    result.delivered += totals.delivered;
    result.unmatched += totals.unmatched;
    result.retrying += totals.retrying;
    result.dead += totals.dead;
    result.batches += totals.batches;
    // The destination asked to wait, or nothing landed (it is down): stop; retries come when due.
    const stop = totals.paused
      ? 'the destination asked to wait (Retry-After or quota)'
      : totals.delivered + totals.unmatched === 0
        ? 'every batch failed'
        : undefined;
    if (stop) {
      await unclaimChanges(
        round.pool,
        round.schema,
        (await next).map((c) => c.outboxId),
      );
      return { ...result, status: 'waiting', reason: stop };
    }
  }
}
