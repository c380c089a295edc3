/**
 * Generates the "Acme Analytics" example data set: the CRM and marketing data of a fictional B2B
 * company selling a SaaS analytics product, written in the vendors' own export formats so that the
 * vendor presets (`salesforce/*`, `marketo/*`) and the HTTP ingest endpoint can read it unchanged.
 *
 * - `salesforce/*.csv`: Salesforce Weekly Data Export (every field quoted, CRLF, API field names).
 * - `marketo/*.csv`: Marketo bulk extracts (literal `null`, quoting only when needed, LF).
 * - `events/web-events.ndjson`: website and product events for the HTTP ingest endpoint.
 *
 * Everything is derived from one seeded PRNG and from `now`: the same (seed, now, scale) give
 * byte-identical files, and every timestamp is relative to `now` so that time-window segments
 * ("opened 3 emails within 30 days") keep having members whenever the data is regenerated.
 *
 * Run: `node bin/run-ts.js examples/acme/generate-data.ts [--out DIR] [--seed N] [--scale X] [--now ISO]`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// ───────────────────────────── Public API ─────────────────────────────

/** Options of {@link generateAcmeData}. */
export interface AcmeDataOptions {
  /** Directory the files are written under; created if missing. Existing files of the same name are replaced. */
  outDir: string;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Anchor of every timestamp (events before it, open opportunities after it). Default: today at 00:00 UTC. */
  now?: Date;
  /** Multiplier of every row count (each rounded, at least 1). Default 1. */
  scale?: number;
}

/** What {@link generateAcmeData} wrote. */
export interface AcmeDataSummary {
  /** One entry per file: its path relative to `outDir` (with `/` separators) and its number of records (header excluded). */
  files: { path: string; records: number }[];
}

/**
 * Writes the Acme Analytics data set under `options.outDir`.
 *
 * The same seed, `now` and scale always produce byte-identical files.
 * @returns the files written, in a fixed order, with their record counts.
 */
export async function generateAcmeData(options: AcmeDataOptions): Promise<AcmeDataSummary> {
  const ctx = makeContext(options);
  const crm = generateSalesforce(ctx);
  const marketo = generateMarketo(ctx, crm);
  const outputs: OutputFile[] = [
    ...salesforceFiles(crm),
    ...marketoFiles(marketo),
    { path: 'events/web-events.ndjson', ...webEventsFile(ctx, marketo.leads) },
  ];
  for (const file of outputs) {
    const target = path.join(options.outDir, ...file.path.split('/'));
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.writeFile(target, file.content, 'utf8');
  }
  return { files: outputs.map((f) => ({ path: f.path, records: f.records })) };
}

// ───────────────────────────── Context, time and randomness ─────────────────────────────

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Marketo activities cover this many days before `now`. */
const ACTIVITY_WINDOW_DAYS = 90;

/** Row counts at scale 1; every one is multiplied by `scale`. */
const BASE_COUNTS = {
  accounts: 300,
  contacts: 1500,
  leads: 600,
  opportunities: 400,
  campaigns: 12,
  campaignMembers: 2000,
  extraCompanies: 120,
  marketoLeads: 2200,
  hotLeads: 150,
  blastRecipients: 190,
  webSessions: 1250,
  programMembers: 800,
  webEvents: 500,
};
type Counts = Record<keyof typeof BASE_COUNTS, number>;

interface Context {
  seed: number;
  now: number;
  counts: Counts;
}

function makeContext(options: AcmeDataOptions): Context {
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`scale must be a positive number, got ${scale}`);
  const today = new Date();
  const now = options.now?.getTime() ?? Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (!Number.isFinite(now)) throw new Error('now is not a valid date');
  const counts = {} as Counts;
  for (const [key, base] of Object.entries(BASE_COUNTS)) {
    counts[key as keyof Counts] = Math.max(1, Math.round(base * scale));
  }
  return { seed: options.seed ?? 42, now: toSecond(now), counts };
}

/** Seeded PRNG (mulberry32) with the few draws the generator needs. */
class Rng {
  private state: number;

  constructor(private readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream per section, so that changing one section does not reshuffle the others. */
  static for(ctx: Context, label: string): Rng {
    let hash = 2166136261;
    for (const ch of label) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
    return new Rng((hash ^ Math.imul(ctx.seed | 0, 0x9e3779b1)) >>> 0);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of options) {
      r -= weight;
      if (r < 0) return value;
    }
    return at(options, options.length - 1)[0];
  }

  /** k distinct items (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
    }
    return copy.slice(0, n);
  }

  /** Timestamp (whole seconds) uniformly in [from, to). */
  time(from: number, to: number): number {
    return toSecond(from + this.next() * Math.max(0, to - from));
  }
}

/** Picks items with fixed weights many times (cumulative sums and binary search). */
function makePicker<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) cumulative.push((total += weight(item)));
  return () => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(cumulative, mid) > r) hi = mid;
      else lo = mid + 1;
    }
    return at(items, lo);
  };
}

function at<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) throw new Error(`index ${index} out of range (${items.length})`);
  return items[index] as T;
}

const toSecond = (ms: number): number => Math.floor(ms / SECOND) * SECOND;
/** Salesforce datetime: `2026-10-31T14:05:09.000Z`. */
const sfDateTime = (ms: number): string => new Date(toSecond(ms)).toISOString();
/** Salesforce date: `2026-10-31`. */
const sfDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Marketo bulk extract datetime: `2026-10-31T14:05:09Z`. */
const mktoDateTime = (ms: number): string => `${new Date(toSecond(ms)).toISOString().slice(0, 19)}Z`;

// ───────────────────────────── Reference data ─────────────────────────────

interface Location {
  city: string;
  state: string;
  country: string;
  /** Short form used in subsidiary names ("Northwind Software UK Ltd"). */
  label: string;
  code: string;
  callingCode: string;
  areaCode: string;
  legalForms: readonly string[];
  weight: number;
}

function loc(city: string, state: string, country: string, extra: Omit<Location, 'city' | 'state' | 'country'>) {
  return { city, state, country, ...extra };
}
const US = { label: 'USA', code: 'us', callingCode: '1', legalForms: ['Inc.', 'LLC', 'Corp.'], weight: 6 };
const LOCATIONS: readonly Location[] = [
  loc('San Francisco', 'CA', 'United States', { ...US, areaCode: '415' }),
  loc('New York', 'NY', 'United States', { ...US, areaCode: '212' }),
  loc('Austin', 'TX', 'United States', { ...US, areaCode: '512' }),
  loc('Chicago', 'IL', 'United States', { ...US, areaCode: '312' }),
  loc('Boston', 'MA', 'United States', { ...US, areaCode: '617' }),
  loc('Seattle', 'WA', 'United States', { ...US, areaCode: '206' }),
  loc('Denver', 'CO', 'United States', { ...US, areaCode: '303' }),
  loc('Atlanta', 'GA', 'United States', { ...US, areaCode: '404' }),
  loc('Los Angeles', 'CA', 'United States', { ...US, areaCode: '213' }),
  loc('Raleigh', 'NC', 'United States', { ...US, areaCode: '919' }),
  loc('Toronto', 'ON', 'Canada', { label: 'Canada', code: 'ca', callingCode: '1', areaCode: '416', legalForms: ['Inc.', 'Ltd.'], weight: 3 }),
  loc('Vancouver', 'BC', 'Canada', { label: 'Canada', code: 'ca', callingCode: '1', areaCode: '604', legalForms: ['Inc.', 'Ltd.'], weight: 2 }),
  loc('London', '', 'United Kingdom', { label: 'UK', code: 'uk', callingCode: '44', areaCode: '20', legalForms: ['Ltd', 'PLC'], weight: 5 }),
  loc('Manchester', '', 'United Kingdom', { label: 'UK', code: 'uk', callingCode: '44', areaCode: '161', legalForms: ['Ltd'], weight: 2 }),
  loc('Berlin', '', 'Germany', { label: 'Deutschland', code: 'de', callingCode: '49', areaCode: '30', legalForms: ['GmbH', 'AG'], weight: 3 }),
  loc('Munich', '', 'Germany', { label: 'Deutschland', code: 'de', callingCode: '49', areaCode: '89', legalForms: ['GmbH', 'AG'], weight: 2 }),
  loc('Paris', '', 'France', { label: 'France', code: 'fr', callingCode: '33', areaCode: '1', legalForms: ['SAS', 'SA'], weight: 3 }),
  loc('Amsterdam', '', 'Netherlands', { label: 'Nederland', code: 'nl', callingCode: '31', areaCode: '20', legalForms: ['B.V.'], weight: 2 }),
  loc('Dublin', '', 'Ireland', { label: 'Ireland', code: 'ie', callingCode: '353', areaCode: '1', legalForms: ['Ltd', 'DAC'], weight: 2 }),
  loc('Stockholm', '', 'Sweden', { label: 'Sverige', code: 'se', callingCode: '46', areaCode: '8', legalForms: ['AB'], weight: 1 }),
  loc('Madrid', '', 'Spain', { label: 'España', code: 'es', callingCode: '34', areaCode: '91', legalForms: ['S.L.'], weight: 1 }),
  loc('Sydney', 'NSW', 'Australia', { label: 'Australia', code: 'au', callingCode: '61', areaCode: '2', legalForms: ['Pty Ltd'], weight: 2 }),
  loc('Singapore', '', 'Singapore', { label: 'Singapore', code: 'sg', callingCode: '65', areaCode: '6', legalForms: ['Pte. Ltd.'], weight: 2 }),
  loc('Tokyo', '', 'Japan', { label: 'Japan', code: 'jp', callingCode: '81', areaCode: '3', legalForms: ['K.K.'], weight: 1 }),
  loc('Bengaluru', 'KA', 'India', { label: 'India', code: 'in', callingCode: '91', areaCode: '80', legalForms: ['Pvt. Ltd.'], weight: 2 }),
  loc('São Paulo', 'SP', 'Brazil', { label: 'Brasil', code: 'br', callingCode: '55', areaCode: '11', legalForms: ['Ltda.'], weight: 1 }),
];

/** Standard Salesforce Industry picklist values, with words that make company names sound like the industry. */
const INDUSTRIES: readonly (readonly [string, number, readonly string[]])[] = [
  ['Technology', 25, ['Software', 'Systems', 'Labs', 'Technologies', 'Cloud', 'Digital', 'Networks']],
  ['Finance', 8, ['Capital', 'Financial', 'Partners', 'Investments']],
  ['Banking', 5, ['Bank', 'Bancorp', 'Savings']],
  ['Insurance', 5, ['Insurance', 'Mutual', 'Assurance']],
  ['Healthcare', 10, ['Health', 'Medical', 'Care', 'Clinics']],
  ['Manufacturing', 10, ['Manufacturing', 'Industries', 'Components', 'Machinery']],
  ['Retail', 8, ['Retail', 'Outfitters', 'Markets', 'Goods']],
  ['Education', 5, ['Learning', 'Academy', 'Education']],
  ['Telecommunications', 5, ['Telecom', 'Communications', 'Wireless']],
  ['Energy', 4, ['Energy', 'Power', 'Renewables']],
  ['Media', 5, ['Media', 'Studios', 'Publishing']],
  ['Transportation', 4, ['Logistics', 'Freight', 'Transport']],
  ['Consulting', 4, ['Consulting', 'Advisors', 'Group']],
  ['Biotechnology', 4, ['Biosciences', 'Therapeutics', 'Genomics']],
];

const NAME_HEADS = [
  'North', 'Blue', 'Silver', 'Red', 'Iron', 'Bright', 'Clear', 'Summit', 'Pine', 'Harbor', 'Stone', 'Cedar', 'Eagle',
  'Falcon', 'Granite', 'Maple', 'Oak', 'River', 'Sky', 'Star', 'Sun', 'True', 'Vector', 'Apex', 'Nova', 'Quantum',
  'Atlas', 'Beacon', 'Crest', 'Delta', 'Echo', 'Fusion', 'Golden', 'Horizon', 'Lumen', 'Meridian', 'Orbit', 'Pioneer',
  'Polar', 'Prime', 'Radiant', 'Sterling', 'Terra', 'Vertex', 'Zenith', 'Cobalt', 'Copper', 'Ember', 'Ivy', 'Juniper',
];
const NAME_TAILS = [
  'wind', 'field', 'point', 'bridge', 'gate', 'stone', 'wave', 'line', 'path', 'works', 'forge', 'view', 'peak', 'mark',
  'ridge', 'light', 'port', 'wood', 'brook', 'vale',
];

const FEMALE_NAMES = [
  'Emma', 'Olivia', 'Sophia', 'Isabella', 'Mia', 'Charlotte', 'Amelia', 'Harper', 'Evelyn', 'Abigail', 'Emily',
  'Elizabeth', 'Avery', 'Ella', 'Scarlett', 'Grace', 'Chloe', 'Victoria', 'Riley', 'Aria', 'Lily', 'Zoë', 'Hannah',
  'Priya', 'Ananya', 'Mei', 'Yuki', 'Fatima', 'Aisha', 'Ingrid', 'Sofía', 'Lucía', 'Chiara', 'Camille', 'Léa', 'Anna',
  'Maria', 'Julia', 'Sarah', 'Laura', 'Rachel', 'Megan', 'Nicole', 'Jessica', 'Karen',
];
const MALE_NAMES = [
  'Liam', 'Noah', 'Oliver', 'Elijah', 'James', 'William', 'Benjamin', 'Lucas', 'Henry', 'Alexander', 'Mason', 'Michael',
  'Ethan', 'Daniel', 'Jacob', 'Logan', 'Jackson', 'Sebastian', 'Jack', 'Aiden', 'Owen', 'Samuel', 'Matthew', 'Joseph',
  'David', 'Carlos', 'José', 'Mateo', 'Raj', 'Arjun', 'Wei', 'Hiroshi', 'Kenji', 'Omar', 'Ahmed', 'Lars', 'Sven',
  'Jürgen', 'François', 'Pierre', 'Marco', 'Luca', 'Tomasz', 'Piotr', 'Ryan',
];
const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen',
  'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall',
  'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', "O'Brien", "O'Connor", 'Müller', 'Schmidt', 'Schneider',
  'Fischer', 'Weber', 'Dubois', 'Lefèvre', 'Rossi', 'Bianchi', 'Kowalski', 'Nowak', 'Novak', 'Patel', 'Sharma',
  'Gupta', 'Singh', 'Kumar', 'Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Tanaka', 'Suzuki', 'Sato', 'Kim', 'Park', 'Choi',
  'Andersson', 'Johansson', 'Larsen', 'Jensen', 'Van Dijk', 'De Vries', 'Murphy', 'Kelly', 'Byrne', 'Silva', 'Santos',
  'Oliveira', 'Costa', 'Fernández', 'García-López',
];

/** Seniority: 0 C-level, 1 VP, 2 director/head, 3 manager, 4 individual contributor. */
interface JobTitle {
  title: string;
  department: string;
  level: number;
}
const job = (title: string, department: string, level: number): JobTitle => ({ title, department, level });
const TITLES: readonly JobTitle[] = [
  job('CEO', 'Executive', 0),
  job('CFO', 'Finance', 0),
  job('CTO', 'Engineering', 0),
  job('CIO', 'IT', 0),
  job('Chief Data Officer', 'Data', 0),
  job('CMO', 'Marketing', 0),
  job('VP Engineering', 'Engineering', 1),
  job('VP Marketing', 'Marketing', 1),
  job('VP Sales', 'Sales', 1),
  job('VP Finance', 'Finance', 1),
  job('VP Data & Analytics', 'Data', 1),
  job('VP Operations', 'Operations', 1),
  job('Director of Marketing', 'Marketing', 2),
  job('Director of Engineering', 'Engineering', 2),
  job('Director of IT', 'IT', 2),
  job('Director of Business Intelligence', 'Data', 2),
  job('Head of Data', 'Data', 2),
  job('Head of Growth', 'Marketing', 2),
  job('Director of Revenue Operations', 'Sales', 2),
  job('Marketing Operations Manager', 'Marketing', 3),
  job('Engineering Manager', 'Engineering', 3),
  job('Procurement Manager', 'Procurement', 3),
  job('BI Manager', 'Data', 3),
  job('IT Manager', 'IT', 3),
  job('Product Manager', 'Product', 3),
  job('Sales Operations Manager', 'Sales', 3),
  job('Data Analyst', 'Data', 4),
  job('Senior Data Engineer', 'Engineering', 4),
  job('Data Scientist', 'Data', 4),
  job('Software Engineer', 'Engineering', 4),
  job('Business Analyst', 'Operations', 4),
  job('Marketing Analyst', 'Marketing', 4),
  job('Analytics Engineer', 'Data', 4),
  job('Financial Analyst', 'Finance', 4),
  job('Solutions Architect', 'IT', 4),
];
/** Share of each seniority level among contacts (few executives, many practitioners). */
const LEVEL_WEIGHTS = [6, 10, 20, 26, 38];

const LEAD_SOURCES: readonly (readonly [string, number])[] = [
  ['Web', 40],
  ['Webinar', 18],
  ['Trade Show', 14],
  ['Partner Referral', 12],
  ['Advertisement', 16],
];
const PERSONAL_DOMAINS = ['gmail.com', 'gmail.com', 'gmail.com', 'outlook.com', 'outlook.com', 'yahoo.com', 'icloud.com'];
/** Junk values people type into email fields; they must not become identities. */
const JUNK_EMAILS = ['n/a', 'test@test.com', 'none', 'noemail@example.com', 'na@na.com', '-'];

// ───────────────────────────── Shared helpers ─────────────────────────────

interface PersonName {
  first: string;
  last: string;
  salutation: string;
}

function randomName(rng: Rng): PersonName {
  const female = rng.chance(0.5);
  const first = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
  const last = rng.pick(LAST_NAMES);
  const salutation = female
    ? rng.weighted([['Ms.', 70], ['Mrs.', 10], ['Dr.', 5], ['', 15]] as const)
    : rng.weighted([['Mr.', 80], ['Dr.', 5], ['', 15]] as const);
  return { first, last, salutation };
}

/** Lowercase ASCII letters only: "Lefèvre" → "lefevre", "O'Brien" → "obrien". */
function asciiSlug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A not-yet-used address `first.last@domain` (lowercase), numbered on collision; personal mailboxes vary the pattern. */
function uniqueEmail(rng: Rng, taken: Set<string>, name: PersonName, domain: string): string {
  const first = asciiSlug(name.first);
  const last = asciiSlug(name.last);
  const personal = PERSONAL_DOMAINS.includes(domain);
  const local = personal
    ? rng.pick([`${first}.${last}`, `${first}${last}${rng.int(1, 99)}`, `${first.charAt(0)}${last}`, `${first}_${last}`])
    : `${first}.${last}`;
  for (let n = 1; ; n++) {
    const email = `${local}${n === 1 ? '' : n}@${domain}`;
    if (!taken.has(email)) {
      taken.add(email);
      return email;
    }
  }
}

/** Fictional phone numbers: the 555-01xx range in North America, +44 20 7946 0xxx in London. */
function phoneNumber(rng: Rng, location: Location): string {
  if (location.callingCode === '1') return `(${location.areaCode}) 555-0${rng.int(100, 199)}`;
  if (location.code === 'uk' && location.areaCode === '20') return `+44 20 7946 0${rng.int(100, 999)}`;
  return `+${location.callingCode} ${location.areaCode} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
}

function pickLocation(rng: Rng): Location {
  return rng.weighted(LOCATIONS.map((l) => [l, l.weight] as const));
}

/** Created, last modified and system-modified times, all before `now`. */
interface Stamps {
  created: number;
  modified: number;
  modstamp: number;
}

function makeStamps(rng: Rng, created: number, now: number): Stamps {
  const createdAt = toSecond(Math.min(created, now - 2 * HOUR));
  const modified = rng.time(createdAt, now - HOUR);
  // System processes (sharing recalculation, roll-ups) touch SystemModstamp without LastModifiedDate.
  const modstamp = rng.chance(0.2) ? Math.min(modified + rng.int(1, 72) * HOUR, now - MINUTE) : modified;
  return { created: createdAt, modified, modstamp: Math.max(modified, toSecond(modstamp)) };
}

function logUniform(rng: Rng, min: number, max: number): number {
  return Math.round(Math.exp(rng.between(Math.log(min), Math.log(max))));
}

// ───────────────────────────── Salesforce model ─────────────────────────────

type Tier = 'Enterprise' | 'Mid-Market' | 'SMB';

interface Company {
  name: string;
  /** Name without the legal form, used for subsidiaries and opportunity names. */
  baseName: string;
  domain: string;
  industry: string;
  location: Location;
}

interface Account extends Company {
  id: string;
  type: string;
  parent: Account | null;
  billingCountry: string;
  phone: string;
  annualRevenue: number;
  employees: number;
  tier: Tier;
  ownerId: string;
  source: string;
  stamps: Stamps;
  contacts: Contact[];
  opportunities: Opportunity[];
}

interface Contact {
  id: string;
  account: Account;
  name: PersonName;
  title: JobTitle;
  /** The Email field exactly as exported (may have odd case, spaces, junk or be empty). */
  email: string;
  /** Normalized email when this contact is the one person behind it (clean, not a duplicate); else null. */
  emailKey: string | null;
  phone: string;
  location: Location;
  leadSource: string;
  optedOut: boolean;
  ownerId: string;
  stamps: Stamps;
  convertedFrom: Lead | null;
}

interface Lead {
  id: string;
  deleted: boolean;
  name: PersonName;
  title: string;
  company: string;
  email: string;
  phone: string;
  location: Location;
  industry: string;
  status: string;
  leadSource: string;
  rating: string;
  conversion: { at: number; contact: Contact; opportunity: Opportunity | null } | null;
  ownerId: string;
  stamps: Stamps;
}

interface Stage {
  name: string;
  probability: number;
  forecast: string;
  closed: boolean;
  won: boolean;
}

interface Opportunity {
  id: string;
  account: Account;
  name: string;
  stage: Stage;
  amount: number;
  closeDate: number;
  type: 'New Business' | 'Existing Business';
  leadSource: string;
  ownerId: string;
  stamps: Stamps;
  /** Set when a converted lead created this opportunity: that contact is its primary contact role. */
  convertedContact: Contact | null;
}

interface ContactRole {
  id: string;
  opportunity: Opportunity;
  contact: Contact;
  role: string;
  primary: boolean;
  stamps: Stamps;
}

interface Campaign {
  id: string;
  /** Marketo program id of the synced program of the same name. */
  programId: number;
  name: string;
  type: CampaignType;
  nurture: boolean;
  start: number;
  end: number;
  stamps: Stamps;
}

interface CampaignMember {
  id: string;
  campaign: Campaign;
  contact: Contact | null;
  lead: Lead | null;
  status: string;
  respondedAt: number | null;
  stamps: Stamps;
}

interface Crm {
  accounts: Account[];
  contacts: Contact[];
  leads: Lead[];
  opportunities: Opportunity[];
  roles: ContactRole[];
  campaigns: Campaign[];
  members: CampaignMember[];
  /** Companies that are not (yet) accounts: prospects known only from leads and Marketo. */
  extraCompanies: Company[];
  /** Every email address handed out so far, lowercase, so later people get new ones. */
  takenEmails: Set<string>;
  now: number;
}

function generateSalesforce(ctx: Context): Crm {
  const taken = new Set<string>();
  const owners = Array.from({ length: 8 }, (_, i) => salesforceId('005', i));
  const accounts = generateAccounts(ctx, owners, taken);
  const extraCompanies = generateCompanies(Rng.for(ctx, 'extra-companies'), ctx.counts.extraCompanies, taken);
  const takenEmails = new Set<string>();
  const contacts = generateContacts(ctx, accounts, takenEmails);
  const opportunities = generateOpportunities(ctx, accounts);
  const converted = convertLeads(ctx, contacts, owners);
  const leads = [...converted, ...generateOpenLeads(ctx, converted.length, accounts, extraCompanies, owners, takenEmails)];
  const roles = generateContactRoles(ctx, opportunities);
  const campaigns = generateCampaigns(ctx);
  const members = generateCampaignMembers(ctx, campaigns, contacts, leads);
  const crm = { accounts, contacts, leads, opportunities, roles, campaigns, members, extraCompanies, takenEmails, now: ctx.now };
  assignSalesforceIds(crm);
  return crm;
}

/**
 * Salesforce ids are handed out in creation order, as the platform does, so each file sorted by Id
 * is also sorted by CreatedDate.
 */
function assignSalesforceIds(crm: Crm): void {
  const assign = (records: { id: string; stamps: Stamps }[], prefix: string) => {
    records.sort((a, b) => a.stamps.created - b.stamps.created);
    records.forEach((record, index) => {
      record.id = salesforceId(prefix, index);
    });
  };
  assign(crm.accounts, '001');
  assign(crm.contacts, '003');
  assign(crm.leads, '00Q');
  assign(crm.opportunities, '006');
  assign(crm.roles, '00K');
  assign(crm.campaigns, '701');
  assign(crm.members, '00v');
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * An 18-character Salesforce id: key prefix, pod "8c", reserved "0", a 9-character base-62 serial,
 * and the 3-character case-safe suffix.
 */
function salesforceId(prefix: string, index: number): string {
  let n = 1_250_000_000 + index * 7919;
  let serial = '';
  while (n > 0) {
    serial = BASE62.charAt(n % 62) + serial;
    n = Math.floor(n / 62);
  }
  const id15 = `${prefix}8c0${serial.padStart(9, '0')}`;
  return id15 + caseSafeSuffix(id15);
}

/**
 * Salesforce's 15→18 conversion: for each 5-character chunk, a 5-bit mask of which characters are
 * uppercase letters (bit i = character i), encoded with A–Z0–5.
 */
function caseSafeSuffix(id15: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += alphabet.charAt(bits);
  }
  return suffix;
}

// ── Accounts and companies

/** Companies with unique names and domains (`<name>.example`, reserved for documentation). */
function generateCompanies(rng: Rng, count: number, taken: Set<string>): Company[] {
  const companies: Company[] = [];
  while (companies.length < count) {
    const [industry, , words] = rng.weighted(INDUSTRIES.map((entry) => [entry, entry[1]] as const));
    const stem = rng.pick(NAME_HEADS) + rng.pick(NAME_TAILS);
    const baseName = `${stem} ${rng.pick(words)}`;
    // Past a few thousand companies the name space runs out: number the stems then.
    const suffix = taken.size > 6000 ? String(companies.length) : '';
    const domain = `${asciiSlug(baseName)}${suffix}.example`;
    if (taken.has(`n:${baseName}`) || taken.has(`d:${domain}`)) continue;
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

function generateAccounts(ctx: Context, owners: readonly string[], taken: Set<string>): Account[] {
  const rng = Rng.for(ctx, 'accounts');
  const subsidiaries = Math.round(ctx.counts.accounts * 0.1);
  const companies = generateCompanies(rng, ctx.counts.accounts - subsidiaries, taken);
  const accounts = companies.map((company) => makeAccount(ctx, rng, company, owners));
  const parents = accounts.filter((a) => a.tier !== 'SMB');
  for (let i = 0; i < subsidiaries && parents.length > 0; i++) {
    const parent = rng.pick(parents);
    const company = subsidiaryCompany(rng, parent, taken);
    if (!company) continue;
    const child = makeAccount(ctx, rng, company, owners, parent);
    accounts.push(child);
  }
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
    : rng.weighted<Tier>([['Enterprise', 20], ['Mid-Market', 35], ['SMB', 45]]);
  const employees = tierEmployees(rng, tier);
  // Revenue per employee of 120k–450k keeps AnnualRevenue consistent with the tier.
  const annualRevenue = Math.max(500_000, Math.round((employees * rng.between(120_000, 450_000)) / 100_000) * 100_000);
  const type = parent
    ? parent.type
    : rng.weighted([['Customer - Direct', 35], ['Prospect', 45], ['Customer - Channel', 10], ['Partner', 10]] as const);
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
    source: rng.weighted([['Web', 35], ['Partner Referral', 15], ['Phone Inquiry', 10], ['Purchased List', 15], ['Other', 25]] as const),
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
  return rng.weighted([['United States', 85], ['USA', 10], ['US', 5]] as const);
}

// ── Contacts

function pickTitle(rng: Rng): JobTitle {
  const level = rng.weighted(LEVEL_WEIGHTS.map((w, i) => [i, w] as const));
  return rng.pick(TITLES.filter((t) => t.level === level));
}

/** Larger accounts have more contacts; every account gets at least one when there are enough contacts. */
function generateContacts(ctx: Context, accounts: Account[], takenEmails: Set<string>): Contact[] {
  const rng = Rng.for(ctx, 'contacts');
  const tierWeight: Record<Tier, number> = { Enterprise: 12, 'Mid-Market': 5, SMB: 2 };
  const pickAccount = makePicker(rng, accounts, (a) => tierWeight[a.tier]);
  const contacts: Contact[] = [];
  for (let i = 0; i < ctx.counts.contacts; i++) {
    const account = i < accounts.length && ctx.counts.contacts >= accounts.length ? at(accounts, i) : pickAccount();
    const contact = makeContact(ctx, rng, account, contacts, takenEmails);
    account.contacts.push(contact);
    contacts.push(contact);
  }
  return contacts;
}

function makeContact(ctx: Context, rng: Rng, account: Account, earlier: Contact[], takenEmails: Set<string>): Contact {
  const name = randomName(rng);
  const contact: Contact = {
    id: '',
    account,
    name,
    title: pickTitle(rng),
    email: '',
    emailKey: null,
    phone: phoneNumber(rng, account.location),
    location: rng.chance(0.85) ? account.location : pickLocation(rng),
    leadSource: rng.weighted(LEAD_SOURCES),
    optedOut: rng.chance(0.04),
    ownerId: account.ownerId,
    stamps: makeStamps(rng, rng.time(account.stamps.created, ctx.now - DAY), ctx.now),
    convertedFrom: null,
  };
  assignContactEmail(rng, contact, earlier, takenEmails);
  return contact;
}

/**
 * Most contacts get `first.last@<account domain>`. A few get the messes real CRMs hold, so that
 * identity resolution has something to do: odd case, surrounding spaces, another contact's address
 * (a duplicate record, possibly under another account), junk, or nothing.
 */
function assignContactEmail(rng: Rng, contact: Contact, earlier: Contact[], takenEmails: Set<string>): void {
  const r = rng.next();
  const original = earlier.length > 0 && r >= 0.03 && r < 0.045 ? rng.pick(earlier) : null;
  if (original?.emailKey) {
    contact.name = { ...original.name };
    contact.email = original.email;
    return;
  }
  if (r >= 0.045 && r < 0.055) {
    contact.email = rng.pick(JUNK_EMAILS);
    return;
  }
  if (r >= 0.055 && r < 0.07) return;
  const email = uniqueEmail(rng, takenEmails, contact.name, contact.account.domain);
  contact.emailKey = email;
  if (r < 0.015) contact.email = rng.chance(0.5) ? email.toUpperCase() : capitalizeEmail(email);
  else if (r < 0.03) contact.email = rng.pick([` ${email}`, `${email} `, ` ${email} `]);
  else contact.email = email;
}

/** "emma.smith@x.example" → "Emma.Smith@x.example", as people type it. */
function capitalizeEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const cased = local
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('.');
  return `${cased}@${domain}`;
}

// ── Opportunities

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
function generateOpportunities(ctx: Context, accounts: Account[]): Opportunity[] {
  const rng = Rng.for(ctx, 'opportunities');
  const customers = accounts.filter((a) => a.type.startsWith('Customer'));
  const tierWeight: Record<Tier, number> = { Enterprise: 4, 'Mid-Market': 2, SMB: 1 };
  const pickAccount = makePicker(rng, accounts, (a) => tierWeight[a.tier] * (a.type.startsWith('Customer') ? 1.5 : 1));
  const opportunities: Opportunity[] = [];
  for (let i = 0; i < ctx.counts.opportunities; i++) {
    const first = i < customers.length && customers.length < ctx.counts.opportunities * 0.6;
    const account = first ? at(customers, i) : pickAccount();
    const opportunity = first ? makeOpportunity(ctx, rng, account, stage('Closed Won'), 'New Business') : randomOpportunity(ctx, rng, account);
    account.opportunities.push(opportunity);
    opportunities.push(opportunity);
  }
  return opportunities;
}

function randomOpportunity(ctx: Context, rng: Rng, account: Account): Opportunity {
  const customer = account.type.startsWith('Customer');
  const outcome = customer
    ? rng.weighted([['won', 25], ['lost', 12], ['open', 63]] as const)
    : rng.weighted([['lost', 30], ['open', 70]] as const);
  const chosen = outcome === 'open' ? rng.pick(OPEN_STAGES) : stage(outcome === 'won' ? 'Closed Won' : 'Closed Lost');
  return makeOpportunity(ctx, rng, account, chosen, customer ? 'Existing Business' : 'New Business');
}

function makeOpportunity(ctx: Context, rng: Rng, account: Account, chosen: Stage, type: Opportunity['type']): Opportunity {
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
    leadSource: rng.weighted(LEAD_SOURCES),
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
  return rng.pick([`Renewal FY${fiscalYear}`, 'Seat Expansion', 'Data Connectors Add-on', 'Upgrade to Enterprise', 'Premium Support']);
}

/** Enterprise deals 100k–1M, mid-market 25k–150k, SMB 5k–30k, rounded as sales reps quote them. */
function dealAmount(rng: Rng, tier: Tier): number {
  if (tier === 'Enterprise') return Math.round(logUniform(rng, 100_000, 1_000_000) / 1000) * 1000;
  if (tier === 'Mid-Market') return Math.round(logUniform(rng, 25_000, 150_000) / 500) * 500;
  return Math.round(logUniform(rng, 5_000, 30_000) / 100) * 100;
}

// ── Contact roles

const ROLES_BY_LEVEL: readonly (readonly (readonly [string, number])[])[] = [
  [['Economic Buyer', 4], ['Executive Sponsor', 4], ['Decision Maker', 2]],
  [['Decision Maker', 4], ['Economic Buyer', 2], ['Executive Sponsor', 2], ['Influencer', 1]],
  [['Decision Maker', 3], ['Evaluator', 2], ['Influencer', 2], ['Technical Buyer', 1]],
  [['Evaluator', 3], ['Influencer', 2], ['Technical Buyer', 2], ['Business User', 1], ['Other', 1]],
  [['Technical Buyer', 3], ['Evaluator', 3], ['Business User', 3], ['Other', 1]],
];

/**
 * Most opportunities name 1–4 contacts of their account; the most senior one (or the contact a
 * converted lead became) is the single primary contact.
 */
function generateContactRoles(ctx: Context, opportunities: Opportunity[]): ContactRole[] {
  const rng = Rng.for(ctx, 'contact-roles');
  const roles: ContactRole[] = [];
  for (const opportunity of opportunities) {
    const pool = opportunity.account.contacts;
    if (pool.length === 0 || (!opportunity.convertedContact && !rng.chance(0.88))) continue;
    const wanted = Math.min(pool.length, rng.weighted([[1, 8], [2, 27], [3, 35], [4, 30]] as const));
    const chosen = rng.sample(pool, wanted).sort((a, b) => a.title.level - b.title.level);
    const converted = opportunity.convertedContact;
    if (converted) chosen.splice(0, chosen.length, converted, ...chosen.filter((c) => c !== converted).slice(0, wanted - 1));
    chosen.forEach((contact, index) => {
      const created = Math.max(opportunity.stamps.created, contact.stamps.created) + rng.int(MINUTE, 10 * DAY);
      roles.push({
        id: '',
        opportunity,
        contact,
        role: rng.weighted(at(ROLES_BY_LEVEL, contact.title.level)),
        primary: index === 0,
        stamps: makeStamps(rng, created, ctx.now),
      });
    });
  }
  return roles;
}

// ── Leads

/**
 * About 15% of leads were converted: each became one existing contact (same name and email) at that
 * contact's account, and most conversions also created a new-business opportunity. The contact's
 * CreatedDate is moved to the conversion time, when Salesforce created it.
 */
function convertLeads(ctx: Context, contacts: Contact[], owners: readonly string[]): Lead[] {
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

function convertedLead(ctx: Context, rng: Rng, contact: Contact, opportunity: Opportunity | null, owners: readonly string[]): Lead {
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
    rating: rng.weighted([['Hot', 40], ['Warm', 50], ['', 10]] as const),
    conversion: { at: convertedAt, contact, opportunity },
    ownerId: rng.chance(0.7) ? contact.ownerId : rng.pick(owners),
    stamps,
  };
}

/** Leads not converted: new people at existing accounts, at companies not yet accounts, or with personal mailboxes. */
function generateOpenLeads(
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
    const kind = rng.weighted([['account', 40], ['new-company', 25], ['personal', 35]] as const);
    const company = kind === 'new-company' ? rng.pick(extraCompanies) : rng.pick<Company>(accounts);
    const name = randomName(rng);
    const domain = kind === 'personal' ? rng.pick(PERSONAL_DOMAINS) : company.domain;
    const email = rng.chance(0.02) ? '' : uniqueEmail(rng, takenEmails, name, domain);
    const status = rng.weighted([['Open - Not Contacted', 40], ['Working - Contacted', 35], ['Closed - Not Converted', 25]] as const);
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
      leadSource: rng.weighted(LEAD_SOURCES),
      rating: rng.weighted([['Hot', 15], ['Warm', 35], ['Cold', 30], ['', 20]] as const),
      conversion: null,
      ownerId: rng.pick(owners),
      stamps: makeStamps(rng, ctx.now - rng.int(1, 730) * DAY - rng.int(0, DAY), ctx.now),
    });
  }
  return leads;
}

// ── Campaigns

type CampaignType = 'Webinar' | 'Trade Show' | 'Email' | 'Advertisement' | 'Partners';

/** Campaign plan: start offset from `now` in days, duration in days. */
const CAMPAIGN_PLAN: readonly (readonly [string, CampaignType, number, number])[] = [
  ['Email Nurture - Trial to Paid', 'Email', -150, 180],
  ['Webinar - Modern Data Stack for RevOps', 'Webinar', -120, 0],
  ['Trade Show - DataConnect Summit', 'Trade Show', -100, 2],
  ['Webinar - Forecasting with Product Usage Data', 'Webinar', -75, 0],
  ['Email - Product Launch Announcement', 'Email', -60, 7],
  ['Advertisement - LinkedIn ABM Enterprise Finance', 'Advertisement', -55, 60],
  ['Trade Show - Cloud Analytics Expo', 'Trade Show', -40, 3],
  ['Email Nurture - Enterprise Expansion', 'Email', -30, 120],
  ['Webinar - Customer 360 in 30 Days', 'Webinar', -21, 0],
  ['Partners - Reseller Co-Marketing Kickoff', 'Partners', -14, 0],
  ['Webinar - Pricing and Packaging Deep Dive', 'Webinar', 10, 0],
  ['Trade Show - B2B Data Week', 'Trade Show', 30, 2],
];

/** Campaigns named `YYYY-MM <what>`, as marketing teams name their Marketo programs. */
function generateCampaigns(ctx: Context): Campaign[] {
  const rng = Rng.for(ctx, 'campaigns');
  return Array.from({ length: ctx.counts.campaigns }, (_, i) => {
    const [label, type, startDay, days] = at(CAMPAIGN_PLAN, i % CAMPAIGN_PLAN.length);
    const wave = Math.floor(i / CAMPAIGN_PLAN.length);
    // Beyond the plan (scale > 1), earlier waves of the same campaigns.
    const start = ctx.now + (startDay - wave * 7) * DAY + 15 * HOUR;
    const end = start + days * DAY + 2 * HOUR;
    const created = Math.min(start - rng.int(20, 60) * DAY, ctx.now - DAY);
    return {
      id: '',
      programId: 1001 + i,
      name: `${sfDate(start).slice(0, 7)} ${label}${wave > 0 ? ` (Wave ${wave + 1})` : ''}`,
      type,
      nurture: label.includes('Nurture'),
      start,
      end,
      stamps: makeStamps(rng, created, ctx.now),
    };
  });
}

function campaignStatus(campaign: Campaign, now: number): string {
  if (campaign.start > now) return 'Planned';
  return campaign.end + DAY > now ? 'In Progress' : 'Completed';
}

const MEMBER_STATUSES: Record<CampaignType, readonly (readonly [string, number])[]> = {
  Webinar: [['Sent', 30], ['Registered', 30], ['Attended', 40]],
  'Trade Show': [['Sent', 50], ['Responded', 20], ['Attended', 30]],
  Email: [['Sent', 70], ['Responded', 30]],
  Advertisement: [['Sent', 75], ['Responded', 25]],
  Partners: [['Sent', 50], ['Registered', 20], ['Attended', 30]],
};

/** Unique (campaign, person) pairs; about two thirds are contacts, the rest leads not converted. */
function generateCampaignMembers(ctx: Context, campaigns: Campaign[], contacts: Contact[], leads: Lead[]): CampaignMember[] {
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

function makeCampaignMember(ctx: Context, rng: Rng, campaign: Campaign, contact: Contact | null, lead: Lead | null): CampaignMember {
  const personCreated = (contact ?? lead)?.stamps.created ?? campaign.stamps.created;
  const from = Math.max(campaign.stamps.created, personCreated);
  const created = rng.time(from, Math.max(from + HOUR, Math.min(campaign.end, ctx.now - HOUR)));
  let status = rng.weighted(MEMBER_STATUSES[campaign.type]);
  // Nobody attended an event that has not happened yet.
  if (campaign.start > ctx.now && status !== 'Sent') status = campaign.type === 'Webinar' ? 'Registered' : 'Sent';
  const respondedAt = status === 'Sent' ? null : rng.time(created, Math.min(Math.max(created, campaign.end) + 3 * DAY, ctx.now - HOUR));
  return { id: '', campaign, contact, lead, status, respondedAt, stamps: makeStamps(rng, created, ctx.now) };
}

// ───────────────────────────── CSV writing ─────────────────────────────

type Cell = string | number | boolean | null;
type Row = Record<string, Cell>;

interface OutputFile {
  path: string;
  content: string;
  records: number;
}

function cellsOf(header: readonly string[], row: Row): Cell[] {
  return header.map((column) => {
    if (!(column in row)) throw new Error(`row has no value for column ${column}`);
    return row[column] ?? null;
  });
}

/** Salesforce Data Export dialect: every field quoted, null as empty, CRLF after every line. */
function salesforceCsv(filePath: string, header: readonly string[], rows: readonly Row[]): OutputFile {
  const quote = (cell: Cell) => `"${(cell === null ? '' : String(cell)).replace(/"/g, '""')}"`;
  const lines = [header, ...rows.map((row) => cellsOf(header, row))].map((cells) => cells.map(quote).join(','));
  return { path: filePath, content: `${lines.join('\r\n')}\r\n`, records: rows.length };
}

/** Marketo bulk extract dialect: null as the literal `null`, quotes only where needed, LF line ends. */
function marketoCsv(filePath: string, header: readonly string[], rows: readonly Row[]): OutputFile {
  const text = (cell: Cell) => {
    const value = cell === null ? 'null' : String(cell);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const lines = [header.join(','), ...rows.map((row) => cellsOf(header, row).map(text).join(','))];
  return { path: filePath, content: `${lines.join('\n')}\n`, records: rows.length };
}

const stampCells = (s: Stamps): Row => ({
  CreatedDate: sfDateTime(s.created),
  LastModifiedDate: sfDateTime(s.modified),
  SystemModstamp: sfDateTime(s.modstamp),
});
const STAMP_COLUMNS = ['CreatedDate', 'LastModifiedDate', 'SystemModstamp'];

const SF_COLUMNS = {
  Account: [
    'Id', 'IsDeleted', 'Name', 'Type', 'ParentId', 'BillingCity', 'BillingState', 'BillingCountry', 'Phone', 'Website',
    'Industry', 'AnnualRevenue', 'NumberOfEmployees', 'OwnerId', ...STAMP_COLUMNS, 'AccountSource', 'Tier__c',
  ],
  Contact: [
    'Id', 'IsDeleted', 'AccountId', 'FirstName', 'LastName', 'Salutation', 'Title', 'Department', 'Email', 'Phone',
    'MailingCity', 'MailingCountry', 'LeadSource', 'HasOptedOutOfEmail', 'OwnerId', ...STAMP_COLUMNS,
  ],
  Lead: [
    'Id', 'IsDeleted', 'FirstName', 'LastName', 'Title', 'Company', 'Email', 'Phone', 'City', 'Country', 'Industry',
    'Status', 'LeadSource', 'Rating', 'IsConverted', 'ConvertedDate', 'ConvertedAccountId', 'ConvertedContactId',
    'ConvertedOpportunityId', 'OwnerId', ...STAMP_COLUMNS,
  ],
  Opportunity: [
    'Id', 'IsDeleted', 'AccountId', 'Name', 'StageName', 'Amount', 'Probability', 'CloseDate', 'Type', 'LeadSource',
    'IsClosed', 'IsWon', 'ForecastCategoryName', 'OwnerId', ...STAMP_COLUMNS,
  ],
  OpportunityContactRole: ['Id', 'IsDeleted', 'OpportunityId', 'ContactId', 'Role', 'IsPrimary', ...STAMP_COLUMNS],
  Campaign: ['Id', 'IsDeleted', 'Name', 'Type', 'Status', 'StartDate', 'EndDate', 'IsActive', ...STAMP_COLUMNS],
  CampaignMember: [
    'Id', 'IsDeleted', 'CampaignId', 'ContactId', 'LeadId', 'Status', 'HasResponded', 'FirstRespondedDate', ...STAMP_COLUMNS,
  ],
};

function salesforceFiles(crm: Crm): OutputFile[] {
  const file = (name: keyof typeof SF_COLUMNS, rows: Row[]) => salesforceCsv(`salesforce/${name}.csv`, SF_COLUMNS[name], rows);
  return [
    file('Account', crm.accounts.map(accountRow)),
    file('Contact', crm.contacts.map(contactRow)),
    file('Lead', crm.leads.map(leadRow)),
    file('Opportunity', crm.opportunities.map(opportunityRow)),
    file('OpportunityContactRole', crm.roles.map(contactRoleRow)),
    file('Campaign', crm.campaigns.map((c) => campaignRow(c, crm.now))),
    file('CampaignMember', crm.members.map(campaignMemberRow)),
  ];
}

function accountRow(a: Account): Row {
  return {
    Id: a.id,
    IsDeleted: false,
    Name: a.name,
    Type: a.type,
    ParentId: a.parent?.id ?? null,
    BillingCity: a.location.city,
    BillingState: a.location.state,
    BillingCountry: a.billingCountry,
    Phone: a.phone,
    Website: `https://www.${a.domain}`,
    Industry: a.industry,
    AnnualRevenue: a.annualRevenue,
    NumberOfEmployees: a.employees,
    OwnerId: a.ownerId,
    ...stampCells(a.stamps),
    AccountSource: a.source,
    Tier__c: a.tier,
  };
}

function contactRow(c: Contact): Row {
  return {
    Id: c.id,
    IsDeleted: false,
    AccountId: c.account.id,
    FirstName: c.name.first,
    LastName: c.name.last,
    Salutation: c.name.salutation,
    Title: c.title.title,
    Department: c.title.department,
    Email: c.email,
    Phone: c.phone,
    MailingCity: c.location.city,
    MailingCountry: c.location.country,
    LeadSource: c.leadSource,
    HasOptedOutOfEmail: c.optedOut,
    OwnerId: c.ownerId,
    ...stampCells(c.stamps),
  };
}

function leadRow(l: Lead): Row {
  const conversion = l.conversion;
  return {
    Id: l.id,
    IsDeleted: l.deleted,
    FirstName: l.name.first,
    LastName: l.name.last,
    Title: l.title,
    Company: l.company,
    Email: l.email,
    Phone: l.phone,
    City: l.location.city,
    Country: l.location.country,
    Industry: l.industry,
    Status: l.status,
    LeadSource: l.leadSource,
    Rating: l.rating,
    IsConverted: conversion !== null,
    ConvertedDate: conversion ? sfDate(conversion.at) : null,
    ConvertedAccountId: conversion?.contact.account.id ?? null,
    ConvertedContactId: conversion?.contact.id ?? null,
    ConvertedOpportunityId: conversion?.opportunity?.id ?? null,
    OwnerId: l.ownerId,
    ...stampCells(l.stamps),
  };
}

function opportunityRow(o: Opportunity): Row {
  return {
    Id: o.id,
    IsDeleted: false,
    AccountId: o.account.id,
    Name: o.name,
    StageName: o.stage.name,
    Amount: o.amount,
    Probability: o.stage.probability,
    CloseDate: sfDate(o.closeDate),
    Type: o.type,
    LeadSource: o.leadSource,
    IsClosed: o.stage.closed,
    IsWon: o.stage.won,
    ForecastCategoryName: o.stage.forecast,
    OwnerId: o.ownerId,
    ...stampCells(o.stamps),
  };
}

function contactRoleRow(r: ContactRole): Row {
  return {
    Id: r.id,
    IsDeleted: false,
    OpportunityId: r.opportunity.id,
    ContactId: r.contact.id,
    Role: r.role,
    IsPrimary: r.primary,
    ...stampCells(r.stamps),
  };
}

function campaignRow(c: Campaign, now: number): Row {
  const status = campaignStatus(c, now);
  return {
    Id: c.id,
    IsDeleted: false,
    Name: c.name,
    Type: c.type,
    Status: status,
    StartDate: sfDate(c.start),
    EndDate: sfDate(c.end),
    IsActive: status !== 'Completed',
    ...stampCells(c.stamps),
  };
}

function campaignMemberRow(m: CampaignMember): Row {
  return {
    Id: m.id,
    IsDeleted: false,
    CampaignId: m.campaign.id,
    ContactId: m.contact?.id ?? null,
    LeadId: m.lead?.id ?? null,
    Status: m.status,
    HasResponded: m.respondedAt !== null,
    FirstRespondedDate: m.respondedAt === null ? null : sfDate(m.respondedAt),
    ...stampCells(m.stamps),
  };
}
