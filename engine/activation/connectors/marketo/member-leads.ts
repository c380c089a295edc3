import type { MarketoTransport } from '../../../vendors/marketo/marketo-transport';
import type { ActivationMember } from '../../connector';
import { findLeads, lookupKey } from './lead-lookup';

/** Which identifiers of a member may be sent to Marketo (the destination's `marketo.fields`). */
export interface MatchFields {
  email: boolean;
  ecid: boolean;
}

/** The existing leads of some members: lead ids by email and by ECID (keys from `lookupKey`). */
export interface MemberLeads {
  byEmail: Map<string, number[]>;
  byEcid: Map<string, number[]>;
}

/**
 * Finds the existing leads of `members`: by email first, then, for members still without a lead
 * and when `ecid` may be sent, by ECID. Only these identifiers leave; no lead is created.
 */
export async function lookUpMembers(
  transport: MarketoTransport,
  members: readonly ActivationMember[],
  fields: MatchFields,
): Promise<MemberLeads> {
  const emails = fields.email ? members.flatMap((member) => emailsOf(member)) : [];
  const byEmail = emails.length > 0 ? await findLeads(transport, 'email', emails) : new Map<string, number[]>();
  const leads: MemberLeads = { byEmail, byEcid: new Map() };
  if (!fields.ecid) return leads;
  // Asking by ECID only for members the email did not match keeps calls and sent values down.
  const ecids = members.filter((member) => leadIdsOf(member, leads, fields).length === 0).flatMap(ecidsOf);
  if (ecids.length > 0) leads.byEcid = await findLeads(transport, 'ecids', ecids);
  return leads;
}

/** The lead ids of `member`: those found by its email, else those found by its ECIDs; empty when none. */
export function leadIdsOf(member: ActivationMember, leads: MemberLeads, fields: MatchFields): number[] {
  const byEmail = fields.email ? emailsOf(member).flatMap((email) => leads.byEmail.get(lookupKey(email)) ?? []) : [];
  if (byEmail.length > 0) return byEmail;
  return fields.ecid ? ecidsOf(member).flatMap((ecid) => leads.byEcid.get(lookupKey(ecid)) ?? []) : [];
}

/**
 * How `member` was looked for, for an unmatched reason: `email x@y`, `email x@y (or ECID 123)`,
 * or undefined when it has no identifier that may be sent.
 */
export function describeLookup(member: ActivationMember, fields: MatchFields): string | undefined {
  const email = fields.email ? emailsOf(member)[0] : undefined;
  const ecids = fields.ecid ? ecidsOf(member) : [];
  const ecid = ecids.length > 0 ? `ECID ${ecids.join(', ')}` : undefined;
  if (email !== undefined) return ecid === undefined ? `email ${email}` : `email ${email} (or ${ecid})`;
  return ecid;
}

/** The member's email, when it has one (an empty string or a non-text value is none). */
export function emailsOf(member: ActivationMember): string[] {
  const email = member.fields.email;
  return typeof email === 'string' && email.trim() !== '' ? [email.trim()] : [];
}

/** The member's ECIDs: one value, or several written comma-separated (a person seen in several browsers). */
export function ecidsOf(member: ActivationMember): string[] {
  return splitEcids(member.fields.ecid);
}

/** ECIDs from a list of them or one comma-separated text; anything else is none. */
export function splitEcids(value: unknown): string[] {
  const texts = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [value];
  return texts
    .flatMap((text) => (typeof text === 'string' ? text.split(',') : []))
    .map((ecid) => ecid.trim())
    .filter((ecid) => ecid !== '');
}
