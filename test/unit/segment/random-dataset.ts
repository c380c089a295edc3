import { seededRandom } from '../identity/seeded-random';

/**
 * A B2B data set as plain rows, as the reference evaluator reads it. Links name the related row's
 * key; times are epoch milliseconds; dates are `YYYY-MM-DD` calendar days (UTC).
 */
export interface Dataset {
  persons: PersonRow[];
  accounts: AccountRow[];
  opportunities: OpportunityRow[];
  roles: RoleRow[];
  relations: RelationRow[];
  campaigns: CampaignRow[];
  campaignMembers: CampaignMemberRow[];
  lists: ListRow[];
  listMembers: ListMemberRow[];
  events: EventRow[];
}

type Str = string | null;
type Num = number | null;
type Bool = boolean | null;

export interface PersonRow {
  key: string;
  email: Str;
  firstName: Str;
  jobTitle: Str;
  country: Str;
  leadStatus: Str;
  emailOptOut: Bool;
  createdAt: Num;
  /** Custom number field. */
  score: Num;
  /** Custom date field. */
  lastContactDate: Str;
  account: Str;
}
export interface AccountRow {
  key: string;
  name: Str;
  domain: Str;
  industry: Str;
  annualRevenue: Num;
  numberOfEmployees: Num;
  createdAt: Num;
  parent: Str;
}
export interface OpportunityRow {
  key: string;
  name: Str;
  stage: Str;
  amount: Num;
  isClosed: Bool;
  isWon: Bool;
  closeDate: Str;
  account: Str;
}
export interface RoleRow {
  key: string;
  opportunity: string;
  person: string;
  role: Str;
  isPrimary: Bool;
}
export interface RelationRow {
  key: string;
  account: string;
  person: string;
  role: Str;
  isPrimary: Bool;
  isActive: Bool;
  startDate: Str;
  endDate: Str;
}
export interface CampaignRow {
  key: string;
  name: Str;
  type: Str;
  status: Str;
}
export interface CampaignMemberRow {
  key: string;
  campaign: string;
  person: string;
  status: Str;
}
export interface ListRow {
  key: string;
  name: Str;
}
export interface ListMemberRow {
  key: string;
  list: string;
  person: string;
  addedAt: Num;
}
export interface EventRow {
  key: string;
  person: string;
  type: string;
  occurredAt: number;
  url: Str;
  campaign: Str;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Windows the generator uses; the data holds events and times exactly on (and one second past) each edge. */
export const DURATIONS: Readonly<Record<string, number>> = {
  '90m': 90 * MINUTE,
  '12h': 12 * HOUR,
  '1d': DAY,
  '7d': 7 * DAY,
  '1w': 7 * DAY,
  '14d': 14 * DAY,
  '30d': 30 * DAY,
  '60d': 60 * DAY,
};

/** Shared vocabularies: the generator draws comparison values from them, so conditions hit rows. */
export const VOCABULARY = {
  firstNames: ['Ann', 'Bo', 'Cy', 'Di', 'Ed', 'Fay', 'Gus', 'Hal', 'Ivy', 'Jo', 'Kai', 'Lea'],
  jobTitles: [
    'VP Sales',
    'vp sales',
    'SVP Sales & Marketing',
    'Head of Marketing',
    'CTO',
    'Engineer',
    'Sales Manager',
    'Director, Sales',
    '100% Remote Rep',
    'a_b Tester',
    'C:\\Admin',
  ],
  countries: ['US', 'us', 'DE', 'FR', 'GB'],
  leadStatuses: ['Open', 'Working - Contacted', 'Qualified', 'Unqualified'],
  industries: ['Technology', 'technology', 'Finance', 'Healthcare', 'Retail'],
  stages: ['Prospecting', 'Negotiation/Review', 'Closed Won', 'Closed Lost'],
  roles: ['Decision Maker', 'decision maker', 'Economic Buyer', 'Champion', 'Influencer'],
  campaignTypes: ['Webinar', 'Event', 'Email'],
  campaignStatuses: ['Planned', 'Active', 'Completed'],
  memberStatuses: ['Sent', 'Responded', 'RESPONDED', 'Opened'],
  listNames: ['Newsletter', 'VIP', 'Partners'],
  eventTypes: ['email.opened', 'email.clicked', 'web.visit', 'form.filled'],
  urls: [
    'https://acme.example/pricing',
    'https://acme.example/Pricing?plan=pro',
    'https://acme.example/blog/a_b',
    'https://acme.example/100%off',
  ],
  eventCampaigns: ['June Newsletter', 'Spring Launch'],
  scores: [0, 10, 19.5, 20, 20.5, 30, 50, 75, 99, 100],
  revenues: [0, 50, 999999, 1000000, 1000001, 5000000, 25000000],
  employees: [1, 10, 50, 51, 500, 5000],
  amounts: [0, 1000, 20000, 50000, 99999, 100000, 100001, 250000],
};

export interface DatasetSize {
  persons: number;
  accounts: number;
  opportunities: number;
  events: number;
}

/** The seed of the property test's data set and trees; `ROSTER_PROPERTY_SEED` explores others (failures print it). */
export const PROPERTY_SEED = Number(process.env.ROSTER_PROPERTY_SEED) || 20260615;

export const PROPERTY_SIZE: DatasetSize = { persons: 300, accounts: 40, opportunities: 150, events: 3000 };

/** `YYYY-MM-DD` of an instant, in UTC. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A seeded random data set around `now`, with values on the boundaries the operators care about. */
export function generateDataset(seed: number, now: Date, size: DatasetSize = PROPERTY_SIZE): Dataset {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = <T>(value: T, nullShare = 0.15): T | null => (random() < nullShare ? null : value);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const t = now.getTime();
  /** An instant near `now`: often exactly on a window edge or one second past it, sometimes in the future. */
  const instant = (): number => {
    const edge = pick(Object.values(DURATIONS));
    const r = random();
    if (r < 0.25) return t - edge;
    if (r < 0.4) return t - edge - SECOND;
    if (r < 0.45) return t + pick([SECOND, HOUR, 2 * DAY]);
    return t - int(0, (90 * DAY) / SECOND) * SECOND;
  };
  const day = (low: number, high: number) => utcDay(t + int(low, high) * DAY);
  const caseVariant = (text: string) => (random() < 0.3 ? text.toUpperCase() : text);

  const accounts: AccountRow[] = [];
  for (let i = 0; i < size.accounts; i++) {
    const key = `A${String(i).padStart(3, '0')}`;
    accounts.push({
      key,
      name: maybe(`${pick(['Acme', 'Globex', 'Initech', 'Umbrella'])} ${i}`, 0.05),
      domain: maybe(caseVariant(`co${i}.example`)),
      industry: maybe(pick(VOCABULARY.industries)),
      annualRevenue: maybe(pick(VOCABULARY.revenues)),
      numberOfEmployees: maybe(pick(VOCABULARY.employees), 0.3),
      createdAt: maybe(instant(), 0.2),
      parent: i > 4 && random() < 0.4 ? accounts[int(0, i - 1)]!.key : null,
    });
  }
  const persons: PersonRow[] = [];
  for (let i = 0; i < size.persons; i++) {
    const first = pick(VOCABULARY.firstNames);
    const account = random() < 0.8 ? pick(accounts).key : null;
    persons.push({
      key: `P${String(i).padStart(4, '0')}`,
      email: maybe(`${random() < 0.3 ? first : first.toLowerCase()}.${i}@co${int(0, size.accounts - 1)}.example`, 0.1),
      firstName: maybe(first, 0.05),
      jobTitle: maybe(pick(VOCABULARY.jobTitles), 0.2),
      country: maybe(pick(VOCABULARY.countries), 0.2),
      leadStatus: maybe(pick(VOCABULARY.leadStatuses), 0.3),
      emailOptOut: maybe(random() < 0.3, 0.3),
      createdAt: maybe(instant(), 0.15),
      score: maybe(pick(VOCABULARY.scores), 0.25),
      lastContactDate: maybe(day(-65, 5), 0.3),
      account,
    });
  }
  const opportunities: OpportunityRow[] = [];
  for (let i = 0; i < size.opportunities; i++) {
    const isClosed = maybe(random() < 0.4, 0.1);
    opportunities.push({
      key: `O${String(i).padStart(4, '0')}`,
      name: maybe(`Deal ${i}`, 0.05),
      stage: maybe(pick(VOCABULARY.stages)),
      amount: maybe(pick(VOCABULARY.amounts)),
      isClosed,
      isWon: isClosed ? maybe(random() < 0.5, 0.1) : maybe(false, 0.5),
      closeDate: maybe(day(-60, 60), 0.1),
      account: random() < 0.95 ? pick(accounts).key : null,
    });
  }
  const roles = uniquePairs(size.opportunities * 2, () => [pick(opportunities).key, pick(persons).key]).map(
    ([opportunity, person], i) => ({
      key: `R${i}`,
      opportunity,
      person,
      role: maybe(pick(VOCABULARY.roles)),
      isPrimary: maybe(random() < 0.4, 0.2),
    }),
  );
  const relations = uniquePairs(size.persons, () => [pick(accounts).key, pick(persons).key]).map(
    ([account, person], i) => ({
      key: `X${i}`,
      account,
      person,
      role: maybe(pick(VOCABULARY.roles)),
      isPrimary: maybe(random() < 0.4, 0.2),
      isActive: maybe(random() < 0.8, 0.3),
      startDate: maybe(day(-400, 2), 0.4),
      endDate: maybe(day(-2, 400), 0.5),
    }),
  );
  const campaigns = [0, 1, 2, 3].map((i) => ({
    key: `C${i}`,
    name: `Campaign ${i}`,
    type: maybe(pick(VOCABULARY.campaignTypes), 0.1),
    status: maybe(pick(VOCABULARY.campaignStatuses), 0.1),
  }));
  const campaignMembers = uniquePairs(size.persons / 2, () => [pick(campaigns).key, pick(persons).key]).map(
    ([campaign, person], i) => ({ key: `M${i}`, campaign, person, status: maybe(pick(VOCABULARY.memberStatuses)) }),
  );
  const lists = VOCABULARY.listNames.map((name, i) => ({ key: `L${i}`, name }));
  const listMembers = uniquePairs(size.persons / 2, () => [pick(lists).key, pick(persons).key]).map(
    ([list, person], i) => ({ key: `LM${i}`, list, person, addedAt: maybe(instant(), 0.2) }),
  );
  const events: EventRow[] = [];
  for (let i = 0; i < size.events; i++) {
    const type = pick(VOCABULARY.eventTypes);
    events.push({
      key: `E${i}`,
      person: pick(persons.slice(0, Math.ceil(size.persons * 0.7))).key,
      type,
      occurredAt: instant(),
      url: type === 'web.visit' || random() < 0.1 ? maybe(pick(VOCABULARY.urls), 0.1) : null,
      campaign: type.startsWith('email') ? maybe(pick(VOCABULARY.eventCampaigns), 0.3) : null,
    });
  }
  return { persons, accounts, opportunities, roles, relations, campaigns, campaignMembers, lists, listMembers, events };
}

/** Up to `n` distinct [a, b] pairs (a relation row per pair, so "related rows" and "related entities" agree). */
function uniquePairs(n: number, next: () => [string, string]): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (let i = 0; i < n; i++) {
    const pair = next();
    seen.set(pair.join('|'), pair);
  }
  return [...seen.values()];
}
