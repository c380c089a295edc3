import type { Activity } from './activity-log';
import type { Context } from './context';
import { chooseHotLeads } from './hot-leads';
import { generateActivities } from './marketo-activities';
import {
  assignMarketoIds,
  leadFromContact,
  leadFromSalesforceLead,
  type MarketoLead,
  marketingOnlyLead,
} from './marketo-leads';
import { generateProgramMembers, type ProgramMember } from './program-members';
import { Rng } from './random';
import type { Crm, Lead } from './salesforce-model';

/** The Marketo records the generator builds before writing them. */
export interface Marketo {
  leads: MarketoLead[];
  activities: Activity[];
  members: ProgramMember[];
}

/**
 * About 70% of Marketo leads are synced with Salesforce (same email, sfdc ids set): contacts with a
 * clean email of their own, and leads not converted. The rest are marketing-only people.
 */
export function generateMarketo(ctx: Context, crm: Crm): Marketo {
  const rng = Rng.for(ctx, 'marketo-leads');
  const syncable = [
    ...crm.contacts.filter((c) => c.emailKey !== null).map((contact) => ({ contact, lead: null })),
    ...crm.leads.filter((l) => !l.conversion && !l.deleted && l.email !== '').map((lead) => ({ contact: null, lead })),
  ];
  const synced = rng.sample(syncable, Math.round(ctx.counts.marketoLeads * 0.7));
  const leads = synced.map((p) =>
    p.contact ? leadFromContact(ctx, rng, p.contact) : leadFromSalesforceLead(ctx, rng, p.lead as Lead),
  );
  while (leads.length < ctx.counts.marketoLeads) leads.push(marketingOnlyLead(ctx, rng, crm));
  assignMarketoIds(rng, leads);
  chooseHotLeads(ctx, rng, leads);
  const activities = generateActivities(ctx, leads, crm.campaigns);
  const members = generateProgramMembers(ctx, leads, crm.campaigns);
  return { leads, activities, members };
}
