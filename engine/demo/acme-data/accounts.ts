import type { Context } from './context';
import { type Location, phoneNumber, pickLocation } from './locations';
import { asciiSlug } from './people';
import { logUniform, Rng } from './random';
import type { Account, Company, Tier } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY } from './time';
import { INDUSTRIES, NAME_HEADS, NAME_TAILS } from './vocabulary';

/** Companies with unique names and domains (`<name>.example`, reserved for documentation). */
export function generateCompanies(rng: Rng, count: number, taken: Set<string>): Company[] {
  const companies: Company[] = [];
  let misses = 0;
  while (companies.length < count) {
    const [industry, , industryWords] = rng.weighted(INDUSTRIES.map((entry) => [entry, entry[1]] as const));
    const stem = rng.pick(NAME_HEADS) + rng.pick(NAME_TAILS);
    // At very large scales the ~50,000 names run out: number them once draws keep colliding.
    const baseName = `${stem} ${rng.pick(industryWords)}${misses > 50 ? ` ${taken.size}` : ''}`;
    const domain = `${asciiSlug(baseName)}.example`;
    if (taken.has(`n:${baseName}`) || taken.has(`d:${domain}`)) {
      misses++;
      continue;
    }
    misses = 0;
    taken.add(`n:${baseName}`);
    taken.add(`d:${domain}`);
    const location = pickLocation(rng);
    const name = rng.chance(0.3) ? withLegalForm(rng, baseName, location) : baseName;
    companies.push({ name, baseName, domain, industry, location });
  }
  return companies;
}

/** "Northwind Software, Inc." in North America, "Northwind Software GmbH" elsewhere. */
function withLegalForm(rng: Rng, baseName: string, location: Location): string {
  const form = rng.pick(location.legalForms);
  return location.callingCode === '1' ? `${baseName}, ${form}` : `${baseName} ${form}`;
}

/**
 * The accounts: independent companies, then subsidiaries of the larger ones in other countries
 * (about 10%, linked by ParentId), topped up with independent companies if subsidiaries ran out.
 */
export function generateAccounts(ctx: Context, owners: readonly string[], taken: Set<string>): Account[] {
  const rng = Rng.for(ctx, 'accounts');
  const subsidiaries = Math.round(ctx.counts.accounts * 0.1);
  const companies = generateCompanies(rng, ctx.counts.accounts - subsidiaries, taken);
  const accounts = companies.map((company) => makeAccount(ctx, rng, company, owners));
  const parents = accounts.filter((a) => a.tier !== 'SMB');
  // A drawn country may already have a subsidiary of that parent: draw again, a bounded number of times.
  for (let attempt = 0; accounts.length < ctx.counts.accounts && attempt < subsidiaries * 20; attempt++) {
    const parent = parents.length > 0 ? rng.pick(parents) : null;
    const company = parent ? subsidiaryCompany(rng, parent, taken) : null;
    if (parent && company) accounts.push(makeAccount(ctx, rng, company, owners, parent));
  }
  const missing = ctx.counts.accounts - accounts.length;
  for (const company of generateCompanies(rng, missing, taken)) accounts.push(makeAccount(ctx, rng, company, owners));
  return accounts;
}

/** "Northwind Software Deutschland GmbH", domain `northwindsoftware-de.example`; null if that country is taken. */
function subsidiaryCompany(rng: Rng, parent: Account, taken: Set<string>): Company | null {
  const location = pickLocation(rng);
  const domain = `${parent.domain.replace(/\.example$/, '')}-${location.code}.example`;
  if (location.country === parent.location.country || taken.has(`d:${domain}`)) return null;
  taken.add(`d:${domain}`);
  const name = `${parent.baseName} ${location.label} ${rng.pick(location.legalForms)}`;
  return { name, baseName: parent.baseName, domain, industry: parent.industry, location };
}

function makeAccount(ctx: Context, rng: Rng, company: Company, owners: readonly string[], parent?: Account): Account {
  const tier = parent
    ? parent.tier === 'Enterprise'
      ? rng.pick<Tier>(['Enterprise', 'Mid-Market'])
      : 'SMB'
    : rng.choose({ Enterprise: 20, 'Mid-Market': 35, SMB: 45 });
  const employees = tierEmployees(rng, tier);
  // Revenue per employee of 120k–450k keeps AnnualRevenue consistent with the tier.
  const annualRevenue = Math.max(500_000, Math.round((employees * rng.between(120_000, 450_000)) / 100_000) * 100_000);
  const type = parent
    ? parent.type
    : rng.choose({ 'Customer - Direct': 35, Prospect: 45, 'Customer - Channel': 10, Partner: 10 });
  return {
    ...company,
    id: '',
    type,
    parent: parent ?? null,
    billingCountry: countrySpelling(rng, company.location),
    phone: phoneNumber(rng, company.location),
    annualRevenue,
    employees,
    tier,
    ownerId: parent?.ownerId ?? rng.pick(owners),
    source: rng.choose({ Web: 35, 'Partner Referral': 15, 'Phone Inquiry': 10, 'Purchased List': 15, Other: 25 }),
    stamps: makeStamps(rng, ctx.now - rng.int(200, 1100) * DAY - rng.int(0, DAY), ctx.now),
    contacts: [],
    opportunities: [],
  };
}

function tierEmployees(rng: Rng, tier: Tier): number {
  if (tier === 'Enterprise') return logUniform(rng, 1000, 60000);
  if (tier === 'Mid-Market') return logUniform(rng, 100, 999);
  return logUniform(rng, 8, 99);
}

/** Country is free text in most orgs: a few US accounts say "USA" or "US", as real exports do. */
function countrySpelling(rng: Rng, location: Location): string {
  if (location.country !== 'United States') return location.country;
  return rng.choose({ 'United States': 85, USA: 10, US: 5 });
}
