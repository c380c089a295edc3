import { generateAccounts, generateCompanies } from './accounts';
import { generateCampaignMembers } from './campaign-members';
import { generateCampaigns } from './campaigns';
import { generateContactRoles } from './contact-roles';
import { generateContacts } from './contacts';
import type { Context } from './context';
import { convertLeads, generateOpenLeads } from './leads';
import { generateOpportunities } from './opportunities';
import { Rng } from './random';
import { assignSalesforceIds, salesforceId } from './salesforce-ids';
import type { Crm } from './salesforce-model';

/**
 * Builds the CRM in dependency order: accounts, their contacts and opportunities, then the leads
 * converted into those contacts (which re-dates them and claims opportunities), contact roles (which
 * put converted contacts first), campaigns and their members. Each step draws from its own
 * {@link Rng} stream, so changing one step does not reshuffle the others.
 */
export function generateSalesforce(ctx: Context): Crm {
  const taken = new Set<string>();
  const owners = Array.from({ length: 8 }, (_, i) => salesforceId('005', i));
  const accounts = generateAccounts(ctx, owners, taken);
  const extraCompanies = generateCompanies(Rng.for(ctx, 'extra-companies'), ctx.counts.extraCompanies, taken);
  const takenEmails = new Set<string>();
  const contacts = generateContacts(ctx, accounts, takenEmails);
  const opportunities = generateOpportunities(ctx, accounts);
  const converted = convertLeads(ctx, contacts, owners);
  const leads = [
    ...converted,
    ...generateOpenLeads(ctx, converted.length, accounts, extraCompanies, owners, takenEmails),
  ];
  const roles = generateContactRoles(ctx, opportunities);
  const campaigns = generateCampaigns(ctx);
  const members = generateCampaignMembers(ctx, campaigns, contacts, leads);
  const crm = {
    accounts,
    contacts,
    leads,
    opportunities,
    roles,
    campaigns,
    members,
    extraCompanies,
    takenEmails,
    now: ctx.now,
  };
  assignSalesforceIds(crm);
  return crm;
}
