import type { Context } from './context';
import { at } from './lists';
import { Rng, type Weights, zipWeights } from './random';
import type { ContactRole, Opportunity } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY, MINUTE } from './time';

/** Contact role weights by seniority level (0 = C-level … 4 = individual contributor). */
const ROLES_BY_LEVEL: readonly Weights[] = [
  { 'Economic Buyer': 4, 'Executive Sponsor': 4, 'Decision Maker': 2 },
  { 'Decision Maker': 4, 'Economic Buyer': 2, 'Executive Sponsor': 2, Influencer: 1 },
  { 'Decision Maker': 3, Evaluator: 2, Influencer: 2, 'Technical Buyer': 1 },
  { Evaluator: 3, Influencer: 2, 'Technical Buyer': 2, 'Business User': 1, Other: 1 },
  { 'Technical Buyer': 3, Evaluator: 3, 'Business User': 3, Other: 1 },
];

/** How many contacts an opportunity names, with weights. */
const ROLE_COUNTS = zipWeights([1, 2, 3, 4], [8, 27, 35, 30]);

/**
 * Most opportunities name 1–4 contacts of their account; the most senior one (or the contact a
 * converted lead became) is the single primary contact.
 */
export function generateContactRoles(ctx: Context, opportunities: Opportunity[]): ContactRole[] {
  const rng = Rng.for(ctx, 'contact-roles');
  const roles: ContactRole[] = [];
  for (const opportunity of opportunities) {
    const pool = opportunity.account.contacts;
    if (pool.length === 0 || (!opportunity.convertedContact && !rng.chance(0.88))) continue;
    const wanted = Math.min(pool.length, rng.weighted(ROLE_COUNTS));
    const chosen = rng.sample(pool, wanted).sort((a, b) => a.title.level - b.title.level);
    const converted = opportunity.convertedContact;
    if (converted)
      chosen.splice(0, chosen.length, converted, ...chosen.filter((c) => c !== converted).slice(0, wanted - 1));
    chosen.forEach((contact, index) => {
      const created = Math.max(opportunity.stamps.created, contact.stamps.created) + rng.int(MINUTE, 10 * DAY);
      roles.push({
        id: '',
        opportunity,
        contact,
        role: rng.choose(at(ROLES_BY_LEVEL, contact.title.level)),
        primary: index === 0,
        stamps: makeStamps(rng, created, ctx.now),
      });
    });
  }
  return roles;
}
