import type { Pool } from 'pg';
import type { SegmentBinding } from '../../schemas/generated/resource-types';
import type { DeliveryContext, DestinationConnector } from './connector';
import type { RateBudget } from './rate-budget';
import type { MemberReader } from './read-activation-members';
import type { RetryPolicy } from './retry-delay';

/** Everything the delivery of one destination's due changes needs. */
export interface DeliveryRun {
  /** Claims, member reads and outcomes each take a connection for a moment; none is held while sending. */
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
  /** How long a claim is leased (renewed every third of it while its batch is in flight). */
  leaseMs: number;
  /** Claims with no outcome (the worker died) after which a change is dead-lettered. */
  maxLostClaims: number;
  /** Cancels the requests in flight (their changes are released, due again at once). */
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

/** What became of a batch: nothing claimed, delivered, or its first failed segment's outcome. */
export type BatchOutcome = 'empty' | 'landed' | 'retrying' | 'dead' | 'cancelled';
