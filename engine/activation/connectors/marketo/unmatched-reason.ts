import type { ActivationChange } from '../../connector';
import type { LeadOutcome } from './list-membership';
import { describeLookup, type MatchFields } from './member-leads';

/** How many identifiers an account's reason names before summing up the rest. */
const NAMED_IDENTIFIERS = 3;

/**
 * Why `change` has no Marketo lead, for `BatchResult.unmatched`: names what was looked up (never
 * more than the identifiers that were sent) and says no lead is created, since users otherwise
 * expect the connector to create one.
 */
export function noLeadReason(change: ActivationChange, fields: MatchFields): string {
  if (change.members.length === 0) {
    return change.subjectType === 'person'
      ? `person ${change.subjectId} no longer exists (merged into another person); nothing to match in Marketo`
      : `account ${change.subjectId} has no activated person; nothing to match in Marketo`;
  }
  const lookups = change.members.map((member) => describeLookup(member, fields));
  const sendable = lookups.filter((lookup): lookup is string => lookup !== undefined);
  if (sendable.length === 0) return noIdentifierReason(change, fields);
  if (change.subjectType === 'person') {
    return `no Marketo lead with ${sendable[0]}; leads are matched, never created: create the lead in Marketo or fix the person's identifiers`;
  }
  const named = sendable.slice(0, NAMED_IDENTIFIERS).join(', ');
  const more = sendable.length > NAMED_IDENTIFIERS ? ` and ${sendable.length - NAMED_IDENTIFIERS} more` : '';
  return `none of the ${change.members.length} activated persons of account ${change.subjectId} has a Marketo lead (looked up ${named}${more}); leads are matched, never created`;
}

/** Why a change whose leads were found still did not land: Marketo skipped every one of them. */
export function skippedReason(leadIds: readonly number[], outcomes: ReadonlyMap<number, LeadOutcome>): string {
  const said = leadIds
    .slice(0, NAMED_IDENTIFIERS)
    .map((id) => `lead ${id}: ${outcomes.get(id)?.reason ?? 'no status'}`)
    .join('; ');
  const more = leadIds.length > NAMED_IDENTIFIERS ? `; and ${leadIds.length - NAMED_IDENTIFIERS} more` : '';
  return `Marketo skipped the matched lead${leadIds.length === 1 ? '' : 's'} (${said}${more}); a lead deleted or merged in Marketo after the lookup is looked up again with the subject's next change`;
}

function noIdentifierReason(change: ActivationChange, fields: MatchFields): string {
  const allowed = [fields.email ? 'email' : undefined, fields.ecid ? 'ECID' : undefined].filter(Boolean).join(' or ');
  const whom =
    change.subjectType === 'person'
      ? `person ${change.subjectId} has no`
      : `none of the ${change.members.length} activated persons of account ${change.subjectId} has an`;
  return `${whom} ${allowed} to match a Marketo lead with (only ${allowed} may be sent to Marketo); leads are never created`;
}
