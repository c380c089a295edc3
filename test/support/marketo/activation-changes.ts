import type { ActivationChange, ActivationMember, DeliveryBatch } from '../../../engine/activation/connector';
import type { RecordedRequest } from './marketo-server-options';

/**
 * Builders of the activation changes a delivery worker hands a connector, for tests and benchmarks
 * that drive a connector without the outbox: persons and accounts entering or leaving a segment.
 * Outbox and person ids are unique within a test run.
 */
let nextOutboxId = 1;
let nextPersonId = 1;

/** A person with the destination's fields (`email` plus any others, e.g. `ecid`). */
export function member(email: string | null, fields: Record<string, string> = {}): ActivationMember {
  return { personId: nextPersonId++, fields: { email, ...fields } };
}

/** One person entering or leaving the segment. */
export function personChange(change: 'entered' | 'exited', person: ActivationMember): ActivationChange {
  const outboxId = nextOutboxId++;
  return {
    outboxId,
    idempotencyKey: `acme-marketo:${outboxId}`,
    change,
    subjectType: 'person',
    subjectId: person.personId,
    changedAt: '2026-03-02T09:00:00Z',
    members: [person],
  };
}

/** One account entering or leaving an account segment, with its activated persons. */
export function accountChange(
  change: 'entered' | 'exited',
  accountId: number,
  members: ActivationMember[],
): ActivationChange {
  return { ...personChange(change, members[0] ?? member(null)), subjectType: 'account', subjectId: accountId, members };
}

/** Account changes of five activated persons each, for `emails` in order. */
export function accountChanges(change: 'entered' | 'exited', emails: readonly string[]): ActivationChange[] {
  const changes: ActivationChange[] = [];
  for (let start = 0; start < emails.length; start += 5) {
    const persons = emails.slice(start, start + 5).map((email) => member(email));
    changes.push(accountChange(change, 1000 + start / 5, persons));
  }
  return changes;
}

/** `count` buying-committee emails, five per account: `buyer.7@account-2.acme-corp.example`. */
export function buyerEmails(count: number, domain = 'acme-corp'): string[] {
  return Array.from({ length: count }, (_, i) => `buyer.${i + 1}@account-${Math.floor(i / 5) + 1}.${domain}.example`);
}

/** A batch of `changes` of segment `hot-leads` for destination `acme-marketo`, bound to `listId`. */
export function batchOf(changes: ActivationChange[], listId: number): DeliveryBatch {
  return {
    destination: 'acme-marketo',
    segment: 'hot-leads',
    binding: { segment: 'hot-leads', listId },
    batchId: `batch-${changes[0]?.outboxId ?? 0}-${changes.length}`,
    changes,
  };
}

/**
 * The parameters of a recorded lead lookup: from the query of a GET, or from the form body of a
 * POST with `_method=GET` (the form Marketo documents for lookups too long for a URL).
 */
export function lookupParams(request: RecordedRequest): Record<string, string> {
  return request.method === 'GET' ? request.query : Object.fromEntries(new URLSearchParams(request.body));
}

/** The lead ids of a recorded Add to List or Remove from List call (`{"input":[{"id":N}]}`). */
export function listCallIds(request: RecordedRequest): number[] {
  return (JSON.parse(request.body) as { input: { id: number }[] }).input.map((entry) => entry.id);
}
