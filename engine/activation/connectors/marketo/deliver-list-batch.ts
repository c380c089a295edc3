import type { MarketoTransport } from '../../../vendors/marketo/marketo-transport';
import type { ActivationChange, BatchResult, DeliveryBatch } from '../../connector';
import { changeListMembers, type LeadOutcome } from './list-membership';
import { leadIdsOf, lookUpMembers, type MatchFields } from './member-leads';
import { noLeadReason, skippedReason } from './unmatched-reason';

/** What one batch did to the list, besides the result the worker records. */
export interface ListBatchOutcome extends BatchResult {
  /** Lead ids Marketo reported added and removed (counted once each). */
  added: number;
  removed: number;
}

/** A change with the ids of its members' existing leads. */
interface MatchedChange {
  change: ActivationChange;
  leadIds: number[];
}

/**
 * Applies one batch to static list `listId`: looks up the members' existing leads, removes the
 * leads of exited changes, then adds those of entered ones. Removals go first and skip leads that
 * the same batch adds, so a person who leaves through one account and stays through another
 * (account audiences) ends up in the list. A change is unmatched when none of its members has a
 * lead, or when Marketo skipped all of its leads; a lead is never created.
 */
export async function deliverListBatch(
  transport: MarketoTransport,
  batch: DeliveryBatch,
  options: { listId: number; fields: MatchFields; signal: AbortSignal },
): Promise<ListBatchOutcome> {
  const { listId, fields, signal } = options;
  const leads = await lookUpMembers(
    transport,
    batch.changes.flatMap((change) => change.members),
    fields,
  );
  const matched: MatchedChange[] = batch.changes.map((change) => ({
    change,
    leadIds: [...new Set(change.members.flatMap((member) => leadIdsOf(member, leads, fields)))],
  }));
  const entering = new Set(idsOf(matched, 'entered'));
  const leaving = idsOf(matched, 'exited').filter((id) => !entering.has(id));
  signal.throwIfAborted();
  const removals = await applyIfAny(transport, { listId, operation: 'remove' }, leaving);
  signal.throwIfAborted();
  const additions = await applyIfAny(transport, { listId, operation: 'add' }, [...entering]);
  const outcomes = new Map([...removals, ...additions]);
  return {
    unmatched: matched.flatMap(({ change, leadIds }) => {
      const reason = unmatchedReason({ change, leadIds }, outcomes, fields);
      return reason === undefined ? [] : [{ outboxId: change.outboxId, reason }];
    }),
    added: countOk(additions),
    removed: countOk(removals),
  };
}

/** Lead ids of the matched changes of one direction, each once. */
function idsOf(matched: readonly MatchedChange[], direction: ActivationChange['change']): number[] {
  return [...new Set(matched.filter(({ change }) => change.change === direction).flatMap(({ leadIds }) => leadIds))];
}

async function applyIfAny(
  transport: MarketoTransport,
  change: { listId: number; operation: 'add' | 'remove' },
  leadIds: number[],
): Promise<Map<number, LeadOutcome>> {
  return leadIds.length === 0 ? new Map() : changeListMembers(transport, change, leadIds);
}

/**
 * Undefined when the change landed: at least one of its leads is now in (entered) or out of
 * (exited) the list. An exited lead that the batch also adds was left in on purpose, which counts.
 */
function unmatchedReason(
  { change, leadIds }: MatchedChange,
  outcomes: ReadonlyMap<number, LeadOutcome>,
  fields: MatchFields,
): string | undefined {
  if (leadIds.length === 0) return noLeadReason(change, fields);
  if (leadIds.some((id) => outcomes.get(id)?.ok === true)) return undefined;
  return skippedReason(leadIds, outcomes);
}

function countOk(outcomes: ReadonlyMap<number, LeadOutcome>): number {
  return [...outcomes.values()].filter((outcome) => outcome.ok).length;
}
