import { ACTIVITY_WINDOW_DAYS, type Context } from './context';
import { DEVICES, type DeviceProfile } from './devices';
import { phoneNumber } from './locations';
import { pickTitle, randomName, uniqueEmail } from './people';
import type { Rng } from './random';
import type { Company, Contact, Crm, Lead } from './salesforce-model';
import { DAY, HOUR, MINUTE, toSecond } from './time';
import { PERSONAL_DOMAINS } from './vocabulary';

/** A person in Marketo's lead database, synced with a Salesforce contact or lead or known only to marketing. */
export interface MarketoLead {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  company: string | null;
  title: string | null;
  phone: string | null;
  city: string | null;
  country: string | null;
  leadSource: string | null;
  leadStatus: string | null;
  createdAt: number;
  updatedAt: number;
  contact: Contact | null;
  sfLead: Lead | null;
  ecid: string | null;
  /** Score before the activity window; the Change Score activities add up to the exported leadScore. */
  score: number;
  unsubscribed: boolean;
  /** When the lead unsubscribed, if inside the activity window. */
  unsubscribedAt: number | null;
  /** Probability of opening a given email; drives all behaviour of ordinary leads. */
  engagement: number;
  hot: boolean;
  ip: string;
  device: DeviceProfile;
}

/** Fields every Marketo lead gets the same way, whatever its origin. */
function marketoBehaviour(ctx: Context, rng: Rng, createdAt: number, modified: number, unsubscribed: boolean) {
  const created = Math.min(createdAt, ctx.now - HOUR);
  return {
    id: 0,
    createdAt: toSecond(created),
    updatedAt: rng.time(Math.max(created, modified), ctx.now - MINUTE),
    ecid: rng.chance(0.6) ? experienceCloudId(rng) : null,
    score: rng.int(0, 40),
    unsubscribed,
    unsubscribedAt: null,
    engagement: 0.02 + rng.next() ** 2 * 0.45,
    hot: false,
    ip: `${rng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${rng.int(1, 254)}`,
    device: rng.pick(DEVICES),
  };
}

/** Adobe Experience Cloud ID: 38 decimal digits. */
export function experienceCloudId(rng: Rng): string {
  let id = String(rng.int(1, 9));
  while (id.length < 38) id += String(rng.int(0, 9));
  return id;
}

/** The Marketo lead synced with a Salesforce contact. */
export function leadFromContact(ctx: Context, rng: Rng, contact: Contact): MarketoLead {
  // A converted lead was in Marketo since it was a Salesforce lead; other contacts sync within hours.
  const origin = contact.convertedFrom?.stamps.created ?? contact.stamps.created;
  return {
    // Marketo stores the address as synced, trimmed but with its case.
    email: contact.email.trim(),
    firstName: contact.name.first,
    lastName: contact.name.last,
    company: contact.account.name,
    title: contact.title.title,
    phone: contact.phone,
    city: contact.location.city,
    country: contact.location.country,
    leadSource: contact.leadSource,
    leadStatus: contact.convertedFrom ? 'Closed - Converted' : null,
    contact,
    sfLead: contact.convertedFrom,
    ...marketoBehaviour(
      ctx,
      rng,
      origin + rng.int(5 * MINUTE, 3 * HOUR),
      contact.stamps.modified,
      contact.optedOut || rng.chance(0.02),
    ),
  };
}

/** The Marketo lead synced with a Salesforce lead not converted. */
export function leadFromSalesforceLead(ctx: Context, rng: Rng, lead: Lead): MarketoLead {
  return {
    email: lead.email,
    firstName: lead.name.first,
    lastName: lead.name.last,
    company: lead.company,
    title: lead.title,
    phone: lead.phone === '' ? null : lead.phone,
    city: lead.location.city,
    country: lead.location.country,
    leadSource: lead.leadSource,
    leadStatus: lead.status,
    contact: null,
    sfLead: lead,
    ...marketoBehaviour(
      ctx,
      rng,
      lead.stamps.created + rng.int(5 * MINUTE, 3 * HOUR),
      lead.stamps.modified,
      rng.chance(0.04),
    ),
  };
}

/** People only marketing knows: personal mailboxes, companies not yet accounts, new people at accounts. */
export function marketingOnlyLead(ctx: Context, rng: Rng, crm: Crm): MarketoLead {
  const kind = rng.choose({ personal: 45, 'new-company': 30, account: 25 });
  const company: Company = kind === 'new-company' ? rng.pick(crm.extraCompanies) : rng.pick(crm.accounts);
  const name = randomName(rng);
  const domain = kind === 'personal' ? rng.pick(PERSONAL_DOMAINS) : company.domain;
  // Marketing-only people are mostly recent: a third joined inside the activity window.
  const createdAt =
    ctx.now - (rng.chance(0.35) ? rng.int(0, ACTIVITY_WINDOW_DAYS - 1) : rng.int(90, 700)) * DAY - rng.int(0, DAY);
  return {
    email: uniqueEmail(rng, crm.takenEmails, name, domain),
    firstName: name.first,
    lastName: name.last,
    company: kind === 'personal' && rng.chance(0.4) ? null : company.name,
    title: rng.chance(0.6) ? pickTitle(rng).title : null,
    phone: rng.chance(0.3) ? phoneNumber(rng, company.location) : null,
    city: rng.chance(0.7) ? company.location.city : null,
    country: rng.chance(0.8) ? company.location.country : null,
    leadSource: rng.choose({ Web: 60, Webinar: 20, Advertisement: 15, 'Trade Show': 5 }),
    leadStatus: rng.choose({ New: 60, Nurture: 30, 'Marketing Qualified': 10 }),
    contact: null,
    sfLead: null,
    ...marketoBehaviour(ctx, rng, createdAt, createdAt, rng.chance(0.04)),
  };
}

/** Marketo ids grow with creation time from 1001, with the gaps merges and deletions leave. */
export function assignMarketoIds(rng: Rng, leads: MarketoLead[]): void {
  leads.sort((a, b) => a.createdAt - b.createdAt);
  let id = 1001;
  for (const lead of leads) {
    lead.id = id;
    id += rng.chance(0.1) ? rng.int(2, 5) : 1;
  }
}
