import type { MarketoTransport } from '../../../vendors/marketo/marketo-transport';
import type { ActivationMember, MirrorDrift } from '../../connector';
import { lookupKey } from './lead-lookup';
import { changeListMembers, type ListMember, readListMembers } from './list-membership';
import { ecidsOf, emailsOf, leadIdsOf, lookUpMembers, type MatchFields, splitEcids } from './member-leads';

/** What a mirror check found, with what repairing it did. */
export interface ListMirrorOutcome extends MirrorDrift {
  /** Leads added and removed by the repair (0 without `repair`). */
  added: number;
  removed: number;
  /** Missing members the repair could not add: they have no lead in Marketo. */
  stillMissing: number;
}

/**
 * Compares static list `listId` with `expected` (the segment's current members) the way delivery
 * matched them: by email, case insensitively, and by ECID when `match.ecid` (a member delivered
 * through a lead found by its ECID is in the list under another email). `missing` are members no
 * list member matches, `unexpected` the list members that match no member (their email, or
 * `lead:<id>`). Members with no identifier that may be sent cannot be compared and are left out.
 * With `repair`, the missing members' leads are looked up as delivery does (email, then ECID) and
 * added, and the unexpected leads removed; the drift returned is what was found before.
 */
export async function mirrorList(
  transport: MarketoTransport,
  listId: number,
  expected: readonly ActivationMember[],
  options: { repair: boolean; signal: AbortSignal; match: MatchFields },
): Promise<ListMirrorOutcome> {
  const { match } = options;
  const listed = await readAllMembers(transport, listId, match);
  const keys = (emails: string[], ecids: string[]) => [
    ...(match.email ? emails.map((email) => `email:${lookupKey(email)}`) : []),
    ...(match.ecid ? ecids.map((ecid) => `ecid:${lookupKey(ecid)}`) : []),
  ];
  const memberKeys = (member: ActivationMember) => keys(emailsOf(member), ecidsOf(member));
  const leadKeys = (lead: ListMember) => keys(lead.email ? [lead.email] : [], splitEcids(lead.ecids));
  const expectedKeys = new Set(expected.flatMap(memberKeys));
  const listedKeys = new Set(listed.flatMap(leadKeys));
  const missing = expected.filter((member) => {
    const ids = memberKeys(member);
    return ids.length > 0 && !ids.some((id) => listedKeys.has(id));
  });
  const strays = listed.filter((lead) => !leadKeys(lead).some((id) => expectedKeys.has(id)));
  const drift = { missing, unexpected: strays.map((lead) => lead.email || `lead:${lead.id}`) };
  if (!options.repair) return { ...drift, added: 0, removed: 0, stillMissing: 0 };
  options.signal.throwIfAborted();
  const repaired = await repairList(transport, listId, { missing, strays, match });
  return { ...drift, ...repaired };
}

/** Adds the leads of the missing members and removes the stray leads. */
async function repairList(
  transport: MarketoTransport,
  listId: number,
  drift: { missing: ActivationMember[]; strays: ListMember[]; match: MatchFields },
): Promise<{ added: number; removed: number; stillMissing: number }> {
  const leads = await lookUpMembers(transport, drift.missing, drift.match);
  const leadIds = drift.missing.map((member) => leadIdsOf(member, leads, drift.match));
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

async function readAllMembers(transport: MarketoTransport, listId: number, match: MatchFields): Promise<ListMember[]> {
  const members: ListMember[] = [];
  for await (const page of readListMembers(transport, listId, { ecids: match.ecid })) members.push(...page);
  return members;
}

function countOk(outcomes: ReadonlyMap<number, { ok: boolean }>): number {
  return [...outcomes.values()].filter((outcome) => outcome.ok).length;
}
