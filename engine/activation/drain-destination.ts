import type { Pool } from 'pg';
import { MissingSecretError } from '../config/resolve-secret';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { buildConnector, closeConnector } from './build-connector';
import { type ConnectorEnvironment, type DestinationConnector, destinationFields } from './connector';
import { deliverBatches } from './deliver-batches';
import { deliveryLeaseOf } from './delivery-lease';
import type { BatchEvent } from './delivery-run';
import { readControl } from './destination-control';
import { tryLockDestination } from './destination-lock';
import { RateBudget } from './rate-budget';
import type { MemberReader } from './read-activation-members';
import { type ActivationConfig, readActivationConfig } from './read-applied-destinations';
import { recordSuccess } from './record-outcome';
import { retryPolicyOf } from './retry-delay';
import { syncBindings } from './sync-bindings';

export interface DrainOptions {
  pool: Pool;
  sandbox: string;
  destination: string;
  environment: ConnectorEnvironment;
  /** Cancels the requests in flight; their changes stay pending. */
  signal?: AbortSignal;
  /** Stops claiming new batches; those in flight land and are recorded (a graceful stop). */
  finish?: AbortSignal;
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
 * worker per destination across all processes; another holder means `busy`), brings bindings in
 * line (backfill, removals), then claims and delivers batches (`deliverBatches`). A paused
 * destination accumulates; a destination that asked to wait (Retry-After, quota) is left alone
 * until then; a missing secret skips it with the variable to set.
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
    const sync = await syncBindings(options.pool, schema, destination);
    Object.assign(result, { backfilled: sync.backfilled, removed: sync.removed });
    if (state.resumeAt && state.resumeAt > new Date())
      return { ...result, status: 'waiting', reason: `asked to wait until ${state.resumeAt.toISOString()}` };
    try {
      connector = await buildConnector(options.pool, options.sandbox, destination, options.environment);
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
    const throughId = destination.spec.schedule && !options.releaseAll ? (state.releasedThrough ?? 0) : null;
    const totals = await deliverBatches({
      pool: options.pool,
      sandbox: options.sandbox,
      schema,
      destination: destination.name,
      connector,
      bindings: sync.bindings,
      reader,
      policy: retryPolicyOf(destination.spec),
      budget: new RateBudget(destination.spec.rateLimit?.requestsPerSecond),
      ...deliveryLeaseOf(options.environment.env),
      signal: options.signal ?? new AbortController().signal,
      ...(options.finish ? { finish: options.finish } : {}),
      log: options.environment.log,
      throughId,
      onSuccess: () => recordSuccess(options.pool, schema, destination.name),
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    });
    const { stopped, ...counts } = totals;
    return { ...result, ...counts, ...(stopped ? { status: 'waiting', reason: stopped } : {}) };
  } finally {
    if (connector) await closeConnector(connector);
    await lock.unlock();
  }
}

const ZERO = { backfilled: 0, removed: 0, delivered: 0, unmatched: 0, retrying: 0, dead: 0, batches: 0 };
