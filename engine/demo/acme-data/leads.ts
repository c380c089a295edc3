import type { Context } from './context';
import { phoneNumber } from './locations';
import { pickTitle, randomName, uniqueEmail } from './people';
import { Rng } from './random';
import type { Account, Company, Contact, Lead, Opportunity } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY } from './time';
import { LEAD_SOURCES, PERSONAL_DOMAINS } from './vocabulary';

/**
 * About 15% of leads were converted: each became one existing contact (same name and email) at that
 * contact's account, and most conversions also created a new-business opportunity. The contact's
 * CreatedDate is moved to the conversion time, when Salesforce created it.
 */
export function convertLeads(ctx: Context, contacts: Contact[], owners: readonly string[]): Lead[] {
  const rng = Rng.for(ctx, 'converted-leads');
  const wanted = Math.round(ctx.counts.leads * 0.15);
  const candidates = contacts.filter((c) => c.emailKey !== null && c.email === c.emailKey);
  const leads: Lead[] = [];
  for (const contact of rng.sample(candidates, wanted)) {
    const opportunity = rng.chance(0.6) ? newBusinessOpportunity(rng, contact.account) : null;
    const convertedAt = opportunity ? opportunity.stamps.created : contact.stamps.created;
    contact.stamps = makeStamps(rng, convertedAt, ctx.now);
    if (opportunity) opportunity.convertedContact = contact;
    const lead = convertedLead(ctx, rng, contact, opportunity, owners);
    contact.convertedFrom = lead;
    if (opportunity) opportunity.leadSource = lead.leadSource;
    leads.push(lead);
  }
  return leads;
}

function newBusinessOpportunity(rng: Rng, account: Account): Opportunity | null {
  const free = account.opportunities.filter((o) => o.type === 'New Business' && !o.convertedContact);
  return free.length > 0 ? rng.pick(free) : null;
}

function convertedLead(
  ctx: Context,
  rng: Rng,
  contact: Contact,
  opportunity: Opportunity | null,
  owners: readonly string[],
): Lead {
  const convertedAt = contact.stamps.created;
  const stamps = makeStamps(rng, convertedAt - rng.int(1, 45) * DAY - rng.int(0, DAY), ctx.now);
  // Conversion is the lead's last edit.
  stamps.modified = convertedAt;
  stamps.modstamp = convertedAt;
  return {
    id: '',
    deleted: false,
    name: contact.name,
    title: contact.title.title,
    company: contact.account.name,
    email: contact.email,
    phone: contact.phone,
    location: contact.location,
    industry: contact.account.industry,
    status: 'Closed - Converted',
    leadSource: contact.leadSource,
    rating: rng.choose({ Hot: 40, Warm: 50, '': 10 }),
    conversion: { at: convertedAt, contact, opportunity },
    ownerId: rng.chance(0.7) ? contact.ownerId : rng.pick(owners),
    stamps,
  };
}

/** Leads not converted: new people at existing accounts, at companies not yet accounts, or with personal mailboxes. */
export function generateOpenLeads(
  ctx: Context,
  converted: number,
  accounts: Account[],
  extraCompanies: Company[],
  owners: readonly string[],
  takenEmails: Set<string>,
): Lead[] {
  const rng = Rng.for(ctx, 'leads');
  const leads: Lead[] = [];
  for (let i = converted; i < ctx.counts.leads; i++) {
    const kind = rng.choose({ account: 40, 'new-company': 25, personal: 35 });
    const company = kind === 'new-company' ? rng.pick(extraCompanies) : rng.pick<Company>(accounts);
    const name = randomName(rng);
    const domain = kind === 'personal' ? rng.pick(PERSONAL_DOMAINS) : company.domain;
    const email = rng.chance(0.02) ? '' : uniqueEmail(rng, takenEmails, name, domain);
    const status = rng.choose({ 'Open - Not Contacted': 40, 'Working - Contacted': 35, 'Closed - Not Converted': 25 });
    leads.push({
      id: '',
      // A few discarded leads are exported as deleted rows (the export includes the recycle bin).
      deleted: status === 'Closed - Not Converted' && rng.chance(0.05),
      name,
      title: pickTitle(rng).title,
      // Web forms without a company field fill in Salesforce's placeholder.
      company: kind === 'personal' && rng.chance(0.15) ? '[not provided]' : company.name,
      email,
      phone: rng.chance(0.7) ? phoneNumber(rng, company.location) : '',
      location: company.location,
      industry: kind === 'personal' && rng.chance(0.5) ? '' : company.industry,
      status,
      leadSource: rng.choose(LEAD_SOURCES),
      rating: rng.choose({ Hot: 15, Warm: 35, Cold: 30, '': 20 }),
      conversion: null,
      ownerId: rng.pick(owners),
      stamps: makeStamps(rng, ctx.now - rng.int(1, 730) * DAY - rng.int(0, DAY), ctx.now),
    });
  }
  return leads;
}
