import type { Context } from './context';
import { makePicker, Rng, type Weights } from './random';
import type { Campaign, CampaignMember, CampaignType, Contact, Lead } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY, HOUR } from './time';

/** Member statuses each campaign type uses, weighted; anything but Sent counts as a response. */
const MEMBER_STATUSES: Record<CampaignType, Weights> = {
  Webinar: { Sent: 30, Registered: 30, Attended: 40 },
  'Trade Show': { Sent: 50, Responded: 20, Attended: 30 },
  Email: { Sent: 70, Responded: 30 },
  Advertisement: { Sent: 75, Responded: 25 },
  Partners: { Sent: 50, Registered: 20, Attended: 30 },
};

/** Unique (campaign, person) pairs; about two thirds are contacts, the rest leads not converted. */
export function generateCampaignMembers(
  ctx: Context,
  campaigns: Campaign[],
  contacts: Contact[],
  leads: Lead[],
): CampaignMember[] {
  const rng = Rng.for(ctx, 'campaign-members');
  const openLeads = leads.filter((l) => !l.conversion && !l.deleted);
  const pickCampaign = makePicker(rng, campaigns, (c) => (c.nurture ? 3 : c.type === 'Email' ? 2 : 1));
  const seen = new Map<Campaign, Set<Contact | Lead>>(campaigns.map((c) => [c, new Set()]));
  const members: CampaignMember[] = [];
  const maxAttempts = ctx.counts.campaignMembers * 20;
  for (let attempt = 0; members.length < ctx.counts.campaignMembers && attempt < maxAttempts; attempt++) {
    const campaign = pickCampaign();
    const contact = openLeads.length === 0 || rng.chance(0.66) ? rng.pick(contacts) : null;
    const lead = contact ? null : rng.pick(openLeads);
    const person = contact ?? lead;
    const already = seen.get(campaign);
    if (!person || !already || already.has(person)) continue;
    already.add(person);
    members.push(makeCampaignMember(ctx, rng, campaign, contact, lead));
  }
  return members;
}

function makeCampaignMember(
  ctx: Context,
  rng: Rng,
  campaign: Campaign,
  contact: Contact | null,
  lead: Lead | null,
): CampaignMember {
  const personCreated = (contact ?? lead)?.stamps.created ?? campaign.stamps.created;
  const from = Math.max(campaign.stamps.created, personCreated);
  const created = rng.time(from, Math.max(from + HOUR, Math.min(campaign.end, ctx.now - HOUR)));
  let status = rng.choose(MEMBER_STATUSES[campaign.type]);
  // Nobody attended an event that has not happened yet.
  if (campaign.start > ctx.now && status !== 'Sent') status = campaign.type === 'Webinar' ? 'Registered' : 'Sent';
  const respondedAt =
    status === 'Sent' ? null : rng.time(created, Math.min(Math.max(created, campaign.end) + 3 * DAY, ctx.now - HOUR));
  return { id: '', campaign, contact, lead, status, respondedAt, stamps: makeStamps(rng, created, ctx.now) };
}
