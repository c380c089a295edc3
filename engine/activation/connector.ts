import type { Pool } from 'pg';
import type { DestinationSpec, SegmentBinding } from '../../schemas/generated/resource-types';

/** A value of a destination field, as read from the profile tables (dates as ISO 8601 strings). */
export type FieldValue = string | number | boolean | null;

/** One person a change activates: the person itself, or one of an account audience's activated persons. */
export interface ActivationMember {
  personId: number;
  /** The destination's `fields`, keyed as written in the config (`email`, `account.name`). */
  fields: Record<string, FieldValue>;
}

/** One membership change of one subject, as the outbox holds it, with the persons it activates. */
export interface ActivationChange {
  outboxId: number;
  /**
   * `<sandbox>:<destination>:<history id>` (or a backfill/removal key): the same change always has
   * the same key, and the same change of another sandbox never has it (decision 38).
   */
  idempotencyKey: string;
  change: 'entered' | 'exited';
  subjectType: 'person' | 'account';
  subjectId: number;
  /** When the membership changed (ISO 8601). */
  changedAt: string;
  /** Empty when the person no longer exists (merged away) or an account has no activated person. */
  members: ActivationMember[];
}

/** Changes of ONE segment for one destination, delivered together; at most one change per subject. */
export interface DeliveryBatch {
  destination: string;
  segment: string;
  /** The segment's binding in the destination's spec (listId, onRemove). */
  binding: SegmentBinding;
  /**
   * Stable for the batch's changes and distinct per sandbox: sent to receivers (and listed in file
   * manifests) so they can drop a batch they already applied.
   */
  batchId: string;
  changes: ActivationChange[];
}

/** What a destination did with a batch; every change not listed as unmatched counts as delivered. */
export interface BatchResult {
  /** Changes the destination cannot apply and that retrying will not fix (e.g. no Marketo lead with this email). */
  unmatched: { outboxId: number; reason: string }[];
}

/** What the delivery worker gives a connector besides the batch. */
export interface DeliveryContext {
  /** The current members of a segment with the destination's fields, in pages (file snapshots, mirror checks). */
  currentMembers(segment: string): AsyncIterable<ActivationMember[]>;
  /** Cancels the work (shutdown); connectors pass it to their requests. */
  signal: AbortSignal;
  /** One structured log line (never a secret). */
  log(entry: Record<string, unknown>): void;
}

/**
 * A failed delivery. `retryable` failures are retried with backoff (after `retryAfterMs` when the
 * destination said when, e.g. HTTP 429 Retry-After, Marketo daily quota); the others dead-letter at
 * once (a refused URL, a 4xx that the same request will always get).
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** What a mirror check found: members the destination lacks, and entries it has that are not members. */
export interface MirrorDrift {
  missing: ActivationMember[];
  /** Keys as the destination knows them (an email for Marketo, a person id for a table). */
  unexpected: string[];
}

/**
 * One destination type. A connector is built per destination (spec with secret references
 * resolved) and reused across batches; `close` releases its connections.
 */
export interface DestinationConnector {
  /** Largest number of changes per batch (Marketo: 300 ids per call; webhook: `batchSize`). */
  readonly maxBatchSize: number;
  /** Batches in flight at once. */
  readonly maxConcurrency: number;
  /** Sends one batch; throws `DeliveryError` when it did not land. Must be idempotent per `batchId`. */
  deliver(batch: DeliveryBatch, context: DeliveryContext): Promise<BatchResult>;
  /**
   * Where the destination can be read (Marketo list members, a table): compares its contents with
   * `expected` (the current members) and, when `repair` is set, makes them equal.
   */
  mirror?(
    binding: SegmentBinding,
    expected: ActivationMember[],
    options: { repair: boolean },
    context: DeliveryContext,
  ): Promise<MirrorDrift>;
  close(): Promise<void>;
}

/** The field names a destination sends per person (default `[email]`). */
export function destinationFields(spec: DestinationSpec): string[] {
  const fields =
    spec.marketo?.fields ?? spec.webhook?.fields ?? spec.file?.fields ?? spec.postgresTable?.fields ?? undefined;
  return fields && fields.length > 0 ? [...fields] : ['email'];
}

/** What building a connector may use: the environment (secrets, allow-lists), paths, logging. */
export interface ConnectorEnvironment {
  /** Secrets (`secret://NAME` -> env NAME) and `ROSTER_ALLOW_PRIVATE_HOSTS`. */
  env: NodeJS.ProcessEnv;
  /** Relative file destinations are resolved against this directory. */
  cwd: string;
  log(entry: Record<string, unknown>): void;
  /**
   * The runtime database, set by `buildConnector`: connectors that share limits with other
   * processes (Marketo's per-instance limits and quota) count calls there.
   */
  pool?: Pool;
  /** Overrides of the Marketo client's timing (tests and benchmarks compress Marketo's 20 s window). */
  marketo?: { rateWindowMs?: number; rateLimitWaitMs?: number; retryBaseMs?: number; fetch?: typeof fetch };
}

/** A destination as the delivery worker hands it to a connector factory. */
export interface ConnectorTarget {
  /** The sandbox the destination belongs to: whatever the connector keys or writes is scoped to it. */
  sandbox: string;
  name: string;
  /** The applied spec; secrets are still `secret://NAME` references (resolve them with `resolveSecret`). */
  spec: DestinationSpec;
}

/**
 * Builds a connector; throws `MissingSecretError` (from `resolveSecret`) when a secret is not set,
 * which the worker reports as "skipped: set NAME", not as a failed delivery.
 */
export type ConnectorFactory = (target: ConnectorTarget, environment: ConnectorEnvironment) => DestinationConnector;
