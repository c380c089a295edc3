import type { Context } from './context';
import { at } from './lists';
import { logUniform, makePicker, Rng } from './random';
import type { Account, Opportunity, Stage, Tier } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY, HOUR, toSecond } from './time';
import { LEAD_SOURCES } from './vocabulary';

/** The standard sales process: stage name, default probability and forecast category. */
const STAGES: Record<string, Stage> = Object.fromEntries(
  (
    [
      ['Prospecting', 10, 'Pipeline'],
      ['Qualification', 10, 'Pipeline'],
      ['Needs Analysis', 20, 'Pipeline'],
      ['Value Proposition', 50, 'Pipeline'],
      ['Id. Decision Makers', 60, 'Pipeline'],
      ['Proposal/Price Quote', 75, 'Best Case'],
      ['Negotiation/Review', 90, 'Commit'],
      ['Closed Won', 100, 'Closed'],
      ['Closed Lost', 0, 'Omitted'],
    ] as const
  ).map(([name, probability, forecast]) => [
    name,
    { name, probability, forecast, closed: name.startsWith('Closed'), won: name === 'Closed Won' },
  ]),
);
const OPEN_STAGES = Object.values(STAGES).filter((s) => !s.closed);

function stage(name: string): Stage {
  const found = STAGES[name];
  if (!found) throw new Error(`unknown stage ${name}`);
  return found;
}

/**
 * Every customer account first gets the won deal that made it a customer; the rest are spread over
 * accounts by size. Prospects and partners never have won deals.
 */
export function generateOpportunities(ctx: Context, accounts: Account[]): Opportunity[] {
  const rng = Rng.for(ctx, 'opportunities');
  const customers = accounts.filter((a) => a.type.startsWith('Customer'));
  const tierWeight: Record<Tier, number> = { Enterprise: 4, 'Mid-Market': 2, SMB: 1 };
  const pickAccount = makePicker(rng, accounts, (a) => tierWeight[a.tier] * (a.type.startsWith('Customer') ? 1.5 : 1));
  const opportunities: Opportunity[] = [];
  for (let i = 0; i < ctx.counts.opportunities; i++) {
    const first = i < customers.length && customers.length < ctx.counts.opportunities * 0.6;
    const account = first ? at(customers, i) : pickAccount();
    const opportunity = first
      ? makeOpportunity(ctx, rng, account, stage('Closed Won'), 'New Business')
      : randomOpportunity(ctx, rng, account);
    account.opportunities.push(opportunity);
    opportunities.push(opportunity);
  }
  return opportunities;
}

function randomOpportunity(ctx: Context, rng: Rng, account: Account): Opportunity {
  const customer = account.type.startsWith('Customer');
  const outcome = customer ? rng.choose({ won: 25, lost: 12, open: 63 }) : rng.choose({ lost: 30, open: 70 });
  const chosen = outcome === 'open' ? rng.pick(OPEN_STAGES) : stage(outcome === 'won' ? 'Closed Won' : 'Closed Lost');
  return makeOpportunity(ctx, rng, account, chosen, customer ? 'Existing Business' : 'New Business');
}

function makeOpportunity(
  ctx: Context,
  rng: Rng,
  account: Account,
  chosen: Stage,
  type: Opportunity['type'],
): Opportunity {
  // Closed deals closed in the last 180 days; open ones are expected within 120 days.
  const closeDate = chosen.closed ? ctx.now - rng.int(1, 180) * DAY : ctx.now + rng.int(0, 120) * DAY;
  const created = Math.max(account.stamps.created + HOUR, closeDate - rng.int(14, 150) * DAY - rng.int(0, DAY));
  const stamps = makeStamps(rng, created, ctx.now);
  if (chosen.closed) {
    // A closed deal was last edited when it was closed.
    stamps.modified = Math.max(stamps.created, toSecond(Math.min(closeDate + rng.int(0, 3 * DAY), ctx.now - HOUR)));
    stamps.modstamp = Math.max(stamps.modstamp, stamps.modified);
  }
  return {
    id: '',
    account,
    name: `${account.baseName} - ${opportunityLabel(rng, type, closeDate)}`,
    stage: chosen,
    amount: dealAmount(rng, account.tier),
    closeDate,
    type,
    leadSource: rng.choose(LEAD_SOURCES),
    ownerId: account.ownerId,
    stamps,
    convertedContact: null,
  };
}

function opportunityLabel(rng: Rng, type: Opportunity['type'], closeDate: number): string {
  if (type === 'New Business') {
    return rng.pick(['Analytics Platform', 'Analytics Platform Pilot', 'Enterprise License', 'Team Plan']);
  }
  const fiscalYear = String(new Date(closeDate).getUTCFullYear() + 1).slice(2);
  return rng.pick([
    `Renewal FY${fiscalYear}`,
    'Seat Expansion',
    'Data Connectors Add-on',
    'Upgrade to Enterprise',
    'Premium Support',
  ]);
}

/** Enterprise deals 100k–1M, mid-market 25k–150k, SMB 5k–30k, rounded as sales reps quote them. */
function dealAmount(rng: Rng, tier: Tier): number {
  if (tier === 'Enterprise') return Math.round(logUniform(rng, 100_000, 1_000_000) / 1000) * 1000;
  if (tier === 'Mid-Market') return Math.round(logUniform(rng, 25_000, 150_000) / 500) * 500;
  return Math.round(logUniform(rng, 5_000, 30_000) / 100) * 100;
}
