import type { ActivationMember, DeliveryBatch, FieldValue } from '../../connector';

/** One change as a webhook receives it (and as a payload template sees it in `changes`). */
export interface WebhookPayloadChange {
  change: 'entered' | 'exited';
  subjectType: 'person' | 'account';
  subjectId: number;
  /** The same change always carries the same key: receivers drop a change they already applied. */
  idempotencyKey: string;
  /** When the membership changed (ISO 8601). */
  changedAt: string;
  /** Person changes only: the person's fields, or null when the person no longer exists (merged away). */
  fields?: Record<string, FieldValue> | null;
  /** The persons the change activates: the person itself, or an account's activated persons. */
  members: ActivationMember[];
}

/** The default JSON body of a webhook request, and the variables a `payload` template can read. */
export interface WebhookPayload {
  destination: string;
  segment: string;
  /** Also sent as `X-Roster-Batch-Id` and `Idempotency-Key`. */
  batchId: string;
  changes: WebhookPayloadChange[];
}

/** The payload of `batch`: its changes without outbox internals (outbox ids stay inside Roster). */
export function buildWebhookPayload(batch: DeliveryBatch): WebhookPayload {
  return {
    destination: batch.destination,
    segment: batch.segment,
    batchId: batch.batchId,
    changes: batch.changes.map((change) => ({
      change: change.change,
      subjectType: change.subjectType,
      subjectId: change.subjectId,
      idempotencyKey: change.idempotencyKey,
      changedAt: change.changedAt,
      ...(change.subjectType === 'person' ? { fields: change.members[0]?.fields ?? null } : {}),
      members: change.members.map((member) => ({ personId: member.personId, fields: member.fields })),
    })),
  };
}
