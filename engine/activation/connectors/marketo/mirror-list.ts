import type { MarketoTransport } from '../../../ingest/marketo/marketo-transport';
import type { ActivationMember, MirrorDrift } from '../../connector';
import { lookupKey } from './lead-lookup';
import { changeListMembers, type ListMember, readListMembers } from './list-membership';
import { emailsOf, leadIdsOf, lookUpMembers, type MatchFields } from './member-leads';

/** What a mirror check found, with what repairing it did. */
export interface ListMirrorOutcome extends MirrorDrift {
  /** Leads added and removed by the repair (0 without `repair`). */
  added: number;
  removed: number;
  /** Missing members the repair could not add: they have no lead in Marketo. */
  stillMissing: number;
}

/**
 * Compares static list `listId` with `expected` (the segment's current members) by email, case
 * insensitively: `missing` are members whose email is not in the list, `unexpected` the emails of
 * list members that are not members (`lead:<id>` for a list member without email). Members without
 * an email cannot be compared and are left out. With `repair`, the missing members' leads are looked
 * up by email and added, and the unexpected leads removed; the drift returned is what was found
 * before. Sending emails for the repair is the caller's decision (the destination's `fields`).
 */
export async function mirrorList(
  transport: MarketoTransport,
  listId: number,
  expected: readonly ActivationMember[],
  options: { repair: boolean; signal: AbortSignal },
): Promise<ListMirrorOutcome> {
  const listed = await readAllMembers(transport, listId);
  const expectedEmails = new Set(expected.flatMap(emailsOf).map(lookupKey));
  const listedEmails = new Set(listed.flatMap((lead) => (lead.email ? [lookupKey(lead.email)] : [])));
  const missing = expected.filter((member) => emailsOf(member).some((email) => !listedEmails.has(lookupKey(email))));
  const strays = listed.filter((lead) => !lead.email || !expectedEmails.has(lookupKey(lead.email)));
  const drift = { missing, unexpected: strays.map((lead) => lead.email || `lead:${lead.id}`) };
  if (!options.repair) return { ...drift, added: 0, removed: 0, stillMissing: 0 };
  options.signal.throwIfAborted();
  const repaired = await repairList(transport, listId, { missing, strays });
  return { ...drift, ...repaired };
}

/** Adds the leads of the missing members and removes the stray leads. */
async function repairList(
  transport: MarketoTransport,
  listId: number,
  drift: { missing: ActivationMember[]; strays: ListMember[] },
): Promise<{ added: number; removed: number; stillMissing: number }> {
  // Only the email is compared, so only the email finds the missing members' leads: a lead found
  // by ECID has another email and would show up as missing again on the next check.
  const byEmail: MatchFields = { email: true, ecid: false };
  const leads = await lookUpMembers(transport, drift.missing, byEmail);
  const leadIds = drift.missing.map((member) => leadIdsOf(member, leads, byEmail));
  const toAdd = leadIds.flat();
  const keep = new Set(toAdd);
  const toRemove = drift.strays.map((lead) => lead.id).filter((id) => !keep.has(id));
  const [removed, added] = await Promise.all([
    toRemove.length > 0 ? changeListMembers(transport, { listId, operation: 'remove' }, toRemove) : new Map(),
    toAdd.length > 0 ? changeListMembers(transport, { listId, operation: 'add' }, toAdd) : new Map(),
  ]);
  const stillMissing = leadIds.filter((ids) => ids.length === 0).length;
  return { added: countOk(added), removed: countOk(removed), stillMissing };
}

async function readAllMembers(transport: MarketoTransport, listId: number): Promise<ListMember[]> {
  const members: ListMember[] = [];
  for await (const page of readListMembers(transport, listId)) members.push(...page);
  return members;
}

function countOk(outcomes: ReadonlyMap<number, { ok: boolean }>): number {
  return [...outcomes.values()].filter((outcome) => outcome.ok).length;
}
