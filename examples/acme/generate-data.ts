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

  constructor(seed: number) {
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

  /** A key of `weights`, drawn with the key's weight: `rng.choose({ Hot: 15, Warm: 35 })`. */
  choose<K extends string>(weights: Readonly<Record<K, number>>): K {
    return this.weighted(Object.entries(weights) as [K, number][]);
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
  for (const item of items) {
    total += weight(item);
    cumulative.push(total);
  }
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

/** `zipWeights([1, 2], [8, 27])` → `[[1, 8], [2, 27]]`, the options {@link Rng.weighted} takes. */
function zipWeights<T>(values: readonly T[], weights: readonly number[]): (readonly [T, number])[] {
  return values.map((value, i) => [value, at(weights, i)] as const);
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

/** Splits a comma-separated word list written over several lines. */
function words(text: string): string[] {
  return text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/** Rows of a `|`-separated table written over several lines. */
function table(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split('|').map((cell) => cell.trim()));
}

// Phone calling code and area code make fictional numbers; legal forms (`;`-separated) end company names.
const LOCATIONS: readonly Location[] = table(`
  San Francisco | CA  | United States  | USA         | us | 1   | 415 | Inc.; LLC; Corp. | 6
  New York      | NY  | United States  | USA         | us | 1   | 212 | Inc.; LLC; Corp. | 6
  Austin        | TX  | United States  | USA         | us | 1   | 512 | Inc.; LLC; Corp. | 6
  Chicago       | IL  | United States  | USA         | us | 1   | 312 | Inc.; LLC; Corp. | 6
  Boston        | MA  | United States  | USA         | us | 1   | 617 | Inc.; LLC; Corp. | 6
  Seattle       | WA  | United States  | USA         | us | 1   | 206 | Inc.; LLC; Corp. | 6
  Denver        | CO  | United States  | USA         | us | 1   | 303 | Inc.; LLC; Corp. | 6
  Atlanta       | GA  | United States  | USA         | us | 1   | 404 | Inc.; LLC; Corp. | 6
  Los Angeles   | CA  | United States  | USA         | us | 1   | 213 | Inc.; LLC; Corp. | 6
  Raleigh       | NC  | United States  | USA         | us | 1   | 919 | Inc.; LLC; Corp. | 6
  Toronto       | ON  | Canada         | Canada      | ca | 1   | 416 | Inc.; Ltd.       | 3
  Vancouver     | BC  | Canada         | Canada      | ca | 1   | 604 | Inc.; Ltd.       | 2
  London        |     | United Kingdom | UK          | uk | 44  | 20  | Ltd; PLC         | 5
  Manchester    |     | United Kingdom | UK          | uk | 44  | 161 | Ltd              | 2
  Berlin        |     | Germany        | Deutschland | de | 49  | 30  | GmbH; AG         | 3
  Munich        |     | Germany        | Deutschland | de | 49  | 89  | GmbH; AG         | 2
  Paris         |     | France         | France      | fr | 33  | 1   | SAS; SA          | 3
  Amsterdam     |     | Netherlands    | Nederland   | nl | 31  | 20  | B.V.             | 2
  Dublin        |     | Ireland        | Ireland     | ie | 353 | 1   | Ltd; DAC         | 2
  Stockholm     |     | Sweden         | Sverige     | se | 46  | 8   | AB               | 1
  Madrid        |     | Spain          | España      | es | 34  | 91  | S.L.             | 1
  Sydney        | NSW | Australia      | Australia   | au | 61  | 2   | Pty Ltd          | 2
  Singapore     |     | Singapore      | Singapore   | sg | 65  | 6   | Pte. Ltd.        | 2
  Tokyo         |     | Japan          | Japan       | jp | 81  | 3   | K.K.             | 1
  Bengaluru     | KA  | India          | India       | in | 91  | 80  | Pvt. Ltd.        | 2
  São Paulo     | SP  | Brazil         | Brasil      | br | 55  | 11  | Ltda.            | 1
`).map((c) => ({
  city: at(c, 0),
  state: at(c, 1),
  country: at(c, 2),
  label: at(c, 3),
  code: at(c, 4),
  callingCode: at(c, 5),
  areaCode: at(c, 6),
  legalForms: at(c, 7)
    .split(';')
    .map((form) => form.trim()),
  weight: Number(at(c, 8)),
}));

/**
 * Salesforce Industry picklist values, with words that make company names sound like the industry.
 * All are standard values except "Financial Services" (the standard list has Finance), which most
 * orgs add and the example segments use.
 */
const INDUSTRIES: readonly (readonly [string, number, readonly string[]])[] = [
  ['Technology', 25, ['Software', 'Systems', 'Labs', 'Technologies', 'Cloud', 'Digital', 'Networks']],
  ['Financial Services', 10, ['Capital', 'Financial', 'Partners', 'Investments']],
  ['Banking', 4, ['Bank', 'Bancorp', 'Savings']],
  ['Insurance', 4, ['Insurance', 'Mutual', 'Assurance']],
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

const NAME_HEADS = words(`
  North, Blue, Silver, Red, Iron, Bright, Clear, Summit, Pine, Harbor, Stone, Cedar, Eagle, Falcon, Granite,
  Maple, Oak, River, Sky, Star, Sun, True, Vector, Apex, Nova, Quantum, Atlas, Beacon, Crest, Delta, Echo,
  Fusion, Golden, Horizon, Lumen, Meridian, Orbit, Pioneer, Polar, Prime, Radiant, Sterling, Terra, Vertex,
  Zenith, Cobalt, Copper, Ember, Ivy, Juniper
`);
const NAME_TAILS = words(`
  wind, field, point, bridge, gate, stone, wave, line, path, works, forge, view, peak, mark, ridge, light, port,
  wood, brook, vale
`);

const FEMALE_NAMES = words(`
  Emma, Olivia, Sophia, Isabella, Mia, Charlotte, Amelia, Harper, Evelyn, Abigail, Emily, Elizabeth, Avery, Ella,
  Scarlett, Grace, Chloe, Victoria, Riley, Aria, Lily, Zoë, Hannah, Priya, Ananya, Mei, Yuki, Fatima, Aisha,
  Ingrid, Sofía, Lucía, Chiara, Camille, Léa, Anna, Maria, Julia, Sarah, Laura, Rachel, Megan, Nicole, Jessica,
  Karen
`);
const MALE_NAMES = words(`
  Liam, Noah, Oliver, Elijah, James, William, Benjamin, Lucas, Henry, Alexander, Mason, Michael, Ethan, Daniel,
  Jacob, Logan, Jackson, Sebastian, Jack, Aiden, Owen, Samuel, Matthew, Joseph, David, Carlos, José, Mateo, Raj,
  Arjun, Wei, Hiroshi, Kenji, Omar, Ahmed, Lars, Sven, Jürgen, François, Pierre, Marco, Luca, Tomasz, Piotr,
  Ryan
`);
const LAST_NAMES = words(`
  Smith, Johnson, Williams, Brown, Jones, Garcia, Miller, Davis, Rodriguez, Martinez, Hernandez, Lopez, Gonzalez,
  Wilson, Anderson, Thomas, Taylor, Moore, Jackson, Martin, Lee, Perez, Thompson, White, Harris, Sanchez, Clark,
  Ramirez, Lewis, Robinson, Walker, Young, Allen, King, Wright, Scott, Torres, Nguyen, Hill, Flores, Green,
  Adams, Nelson, Baker, Hall, Rivera, Campbell, Mitchell, Carter, Roberts, O'Brien, O'Connor, Müller, Schmidt,
  Schneider, Fischer, Weber, Dubois, Lefèvre, Rossi, Bianchi, Kowalski, Nowak, Novak, Patel, Sharma, Gupta,
  Singh, Kumar, Chen, Wang, Li, Zhang, Liu, Tanaka, Suzuki, Sato, Kim, Park, Choi, Andersson, Johansson, Larsen,
  Jensen, Van Dijk, De Vries, Murphy, Kelly, Byrne, Silva, Santos, Oliveira, Costa, Fernández, García-López
`);

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

type Weights = Readonly<Record<string, number>>;

const LEAD_SOURCES: Weights = { Web: 40, Webinar: 18, 'Trade Show': 14, 'Partner Referral': 12, Advertisement: 16 };
const PERSONAL_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'outlook.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
];
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
    ? rng.choose({ 'Ms.': 70, 'Mrs.': 10, 'Dr.': 5, '': 15 })
    : rng.choose({ 'Mr.': 80, 'Dr.': 5, '': 15 });
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
    ? rng.pick([
        `${first}.${last}`,
        `${first}${last}${rng.int(1, 99)}`,
        `${first.charAt(0)}${last}`,
        `${first}_${last}`,
      ])
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
  // Objects live in different ranges, as real ids of different objects never share a serial.
  const objectOffset = [...prefix].reduce((sum, ch) => sum * 31 + ch.charCodeAt(0), 0) % 997;
  let n = 1_250_000_000 + objectOffset * 2_000_003 + index * 7919;
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

function generateAccounts(ctx: Context, owners: readonly string[], taken: Set<string>): Account[] {
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
  // Most people work at the account's billing location; some in another office.
  const location = rng.chance(0.85) ? account.location : pickLocation(rng);
  const contact: Contact = {
    id: '',
    account,
    name,
    title: pickTitle(rng),
    email: '',
    emailKey: null,
    phone: phoneNumber(rng, location),
    location,
    leadSource: rng.choose(LEAD_SOURCES),
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

// ── Contact roles

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
function generateContactRoles(ctx: Context, opportunities: Opportunity[]): ContactRole[] {
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

const MEMBER_STATUSES: Record<CampaignType, Weights> = {
  Webinar: { Sent: 30, Registered: 30, Attended: 40 },
  'Trade Show': { Sent: 50, Responded: 20, Attended: 30 },
  Email: { Sent: 70, Responded: 30 },
  Advertisement: { Sent: 75, Responded: 25 },
  Partners: { Sent: 50, Registered: 20, Attended: 30 },
};

/** Unique (campaign, person) pairs; about two thirds are contacts, the rest leads not converted. */
function generateCampaignMembers(
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

const SF_COLUMNS = {
  Account: words(
    'Id,IsDeleted,Name,Type,ParentId,BillingCity,BillingState,BillingCountry,Phone,Website,Industry,AnnualRevenue,NumberOfEmployees,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp,AccountSource,Tier__c',
  ),
  Contact: words(
    'Id,IsDeleted,AccountId,FirstName,LastName,Salutation,Title,Department,Email,Phone,MailingCity,MailingCountry,LeadSource,HasOptedOutOfEmail,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  Lead: words(
    'Id,IsDeleted,FirstName,LastName,Title,Company,Email,Phone,City,Country,Industry,Status,LeadSource,Rating,IsConverted,ConvertedDate,ConvertedAccountId,ConvertedContactId,ConvertedOpportunityId,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  Opportunity: words(
    'Id,IsDeleted,AccountId,Name,StageName,Amount,Probability,CloseDate,Type,LeadSource,IsClosed,IsWon,ForecastCategoryName,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  OpportunityContactRole: words(
    'Id,IsDeleted,OpportunityId,ContactId,Role,IsPrimary,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  Campaign: words(
    'Id,IsDeleted,Name,Type,Status,StartDate,EndDate,IsActive,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  CampaignMember: words(
    'Id,IsDeleted,CampaignId,ContactId,LeadId,Status,HasResponded,FirstRespondedDate,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
};

function salesforceFiles(crm: Crm): OutputFile[] {
  const file = (name: keyof typeof SF_COLUMNS, rows: Row[]) =>
    salesforceCsv(`salesforce/${name}.csv`, SF_COLUMNS[name], rows);
  return [
    file('Account', crm.accounts.map(accountRow)),
    file('Contact', crm.contacts.map(contactRow)),
    file('Lead', crm.leads.map(leadRow)),
    file('Opportunity', crm.opportunities.map(opportunityRow)),
    file('OpportunityContactRole', crm.roles.map(contactRoleRow)),
    file(
      'Campaign',
      crm.campaigns.map((c) => campaignRow(c, crm.now)),
    ),
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

// ───────────────────────────── Marketo ─────────────────────────────

interface DeviceProfile {
  device: string;
  mobile: boolean;
  platform: string;
  userAgent: string;
}
const DEVICES: readonly DeviceProfile[] = [
  {
    device: 'unknown',
    mobile: false,
    platform: 'Windows',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  },
  {
    device: 'unknown',
    mobile: false,
    platform: 'Mac OS',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  },
  {
    device: 'iPhone',
    mobile: true,
    platform: 'iOS',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  },
  {
    device: 'unknown',
    mobile: false,
    platform: 'Linux',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  },
];

interface MarketoLead {
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

interface Marketo {
  leads: MarketoLead[];
  activities: Activity[];
  members: ProgramMember[];
}

/**
 * About 70% of Marketo leads are synced with Salesforce (same email, sfdc ids set): contacts with a
 * clean email of their own, and leads not converted. The rest are marketing-only people.
 */
function generateMarketo(ctx: Context, crm: Crm): Marketo {
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
function experienceCloudId(rng: Rng): string {
  let id = String(rng.int(1, 9));
  while (id.length < 38) id += String(rng.int(0, 9));
  return id;
}

function leadFromContact(ctx: Context, rng: Rng, contact: Contact): MarketoLead {
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

function leadFromSalesforceLead(ctx: Context, rng: Rng, lead: Lead): MarketoLead {
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
function marketingOnlyLead(ctx: Context, rng: Rng, crm: Crm): MarketoLead {
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
function assignMarketoIds(rng: Rng, leads: MarketoLead[]): void {
  leads.sort((a, b) => a.createdAt - b.createdAt);
  let id = 1001;
  for (const lead of leads) {
    lead.id = id;
    id += rng.chance(0.1) ? rng.int(2, 5) : 1;
  }
}

/**
 * The "hot" leads behind the time-window segments: subscribed, known for more than 35 days,
 * preferably contacts of accounts with an open deal (buying committees researching the product).
 */
function chooseHotLeads(ctx: Context, rng: Rng, leads: MarketoLead[]): void {
  const windowStart = ctx.now - ACTIVITY_WINDOW_DAYS * DAY;
  const eligible = leads.filter((l) => !l.unsubscribed && l.createdAt < ctx.now - 35 * DAY);
  const inDeal = (l: MarketoLead) => l.contact?.account.opportunities.some((o) => !o.stage.closed) ?? false;
  const preferred = eligible.filter(inDeal);
  const hot = rng.sample(preferred, ctx.counts.hotLeads);
  hot.push(
    ...rng.sample(
      eligible.filter((l) => !inDeal(l)),
      ctx.counts.hotLeads - hot.length,
    ),
  );
  for (const lead of hot) {
    lead.hot = true;
    lead.engagement = 0.9;
  }
  for (const lead of leads) {
    // About a third of unsubscribed people did it inside the window (and have the activity for it).
    if (lead.unsubscribed && rng.chance(0.35) && lead.createdAt < ctx.now - 2 * DAY) {
      lead.unsubscribedAt = rng.time(Math.max(lead.createdAt + DAY, windowStart), ctx.now - HOUR);
    }
  }
}

// ── Activities

/** Marketo's standard activity type ids (GET /rest/v1/activities/types.json of every instance). */
const ACTIVITY = {
  visitWebpage: 1,
  fillOutForm: 2,
  clickLink: 3,
  sendEmail: 6,
  emailDelivered: 7,
  emailBounced: 8,
  unsubscribeEmail: 9,
  openEmail: 10,
  clickEmail: 11,
  newLead: 12,
  changeScore: 22,
} as const;

type Attributes = Record<string, string | number | boolean>;

interface Activity {
  lead: MarketoLead;
  at: number;
  typeId: number;
  campaignId: number | null;
  primaryId: number | null;
  primaryValue: string | null;
  attributes: Attributes;
  /** Change Score only: the points added; Old/New Value are filled in chronological order. */
  scoreDelta?: number;
}

/** Collects activities, dropping any outside [from, now) so that nothing lies in the future. */
class ActivityLog {
  readonly items: Activity[] = [];

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  add(activity: Activity): void {
    if (activity.at < this.from || activity.at >= this.to) return;
    activity.at = toSecond(activity.at);
    this.items.push(activity);
  }
}

interface WebPage {
  id: number;
  path: string;
  title: string;
  weight: number;
  form?: { id: number; name: string };
}
const WEB_PAGES: readonly WebPage[] = [
  { id: 1101, path: '/', title: 'Acme Analytics | Analytics for B2B revenue teams', weight: 20 },
  { id: 1102, path: '/product', title: 'Product | Acme Analytics', weight: 12 },
  { id: 1103, path: '/pricing', title: 'Pricing | Acme Analytics', weight: 8 },
  { id: 1104, path: '/customers', title: 'Customers | Acme Analytics', weight: 5 },
  { id: 1105, path: '/integrations', title: 'Integrations | Acme Analytics', weight: 5 },
  { id: 1106, path: '/blog/revenue-analytics-playbook', title: 'The revenue analytics playbook', weight: 8 },
  { id: 1107, path: '/blog/product-usage-scoring', title: 'Scoring accounts with product usage', weight: 6 },
  { id: 1108, path: '/docs/getting-started', title: 'Getting started | Acme Docs', weight: 6 },
  {
    id: 1109,
    path: '/demo',
    title: 'Request a demo | Acme Analytics',
    weight: 4,
    form: { id: 1011, name: 'Demo Request' },
  },
  {
    id: 1110,
    path: '/contact',
    title: 'Contact us | Acme Analytics',
    weight: 2,
    form: { id: 1012, name: 'Contact Us' },
  },
  {
    id: 1111,
    path: '/resources/b2b-data-benchmark',
    title: 'B2B data benchmark report',
    weight: 4,
    form: { id: 1013, name: 'Content Download - Benchmark Report' },
  },
  {
    id: 1112,
    path: '/webinars',
    title: 'Webinars | Acme Analytics',
    weight: 3,
    form: { id: 1014, name: 'Webinar Registration' },
  },
  { id: 1113, path: '/security', title: 'Security | Acme Analytics', weight: 2 },
];
const SITE = 'acme.example';
const REFERRERS = [
  'https://www.google.com/',
  'https://www.google.com/',
  'https://www.linkedin.com/',
  'https://www.bing.com/',
  '',
];
const SITE_LINKS = [
  { id: 1201, url: 'https://app.acme.example/signup' },
  { id: 1202, url: 'https://acme.example/docs/api' },
  { id: 1203, url: 'https://acme.example/pricing#enterprise' },
];

function page(pathName: string): WebPage {
  const found = WEB_PAGES.find((p) => p.path === pathName);
  if (!found) throw new Error(`unknown page ${pathName}`);
  return found;
}

function generateActivities(ctx: Context, leads: MarketoLead[], programs: Campaign[]): Activity[] {
  const rng = Rng.for(ctx, 'activities');
  const log = new ActivityLog(ctx.now - ACTIVITY_WINDOW_DAYS * DAY, ctx.now);
  addNewLeadActivities(log, leads);
  const blasts = planBlasts(ctx, programs);
  for (const blast of blasts) sendBlast(ctx, rng, log, blast, leads);
  addUnsubscribes(log, blasts, leads);
  addWebSessions(ctx, rng, log, leads);
  addHotLeadVisits(ctx, rng, log, leads);
  addScoreChanges(rng, log);
  return finishActivities(log);
}

function addNewLeadActivities(log: ActivityLog, leads: MarketoLead[]): void {
  for (const lead of leads) {
    const synced = lead.contact !== null || lead.sfLead !== null;
    const source: Attributes = synced
      ? { 'Source Type': 'Salesforce.com', 'Created Date': sfDate(lead.createdAt) }
      : {
          'Source Type': 'Web form fillout',
          'Form Name': 'Content Download - Benchmark Report',
          'Created Date': sfDate(lead.createdAt),
        };
    // As in Marketo's own extracts, New Lead points at the lead itself.
    log.add({
      lead,
      at: lead.createdAt,
      typeId: ACTIVITY.newLead,
      campaignId: null,
      primaryId: lead.id,
      primaryValue: null,
      attributes: source,
    });
  }
}

// ── Email blasts

interface Blast {
  at: number;
  emailId: number;
  /** Marketo names program emails `<Program>.<Email>`. */
  name: string;
  campaignId: number;
  runId: number;
}
/** Days (relative to now) of the email sends; the last four fall in the last two weeks. */
const BLAST_DAYS = [-88, -82, -76, -70, -64, -58, -52, -46, -40, -34, -28, -22, -13, -9, -6, -3];
const EMAIL_NAMES = ['Invitation', 'Reminder', 'Newsletter', 'Follow-up', 'Announcement', 'Last Chance'];

function planBlasts(ctx: Context, programs: Campaign[]): Blast[] {
  return BLAST_DAYS.map((day, i) => {
    const sendAt = ctx.now + day * DAY + 14 * HOUR + i * 7 * MINUTE;
    // Each email promotes the program happening about a week later.
    const program = programs.reduce<Campaign | null>(
      (best, p) => (!best || Math.abs(p.start - sendAt - 7 * DAY) < Math.abs(best.start - sendAt - 7 * DAY) ? p : best),
      null,
    );
    const emailName = at(EMAIL_NAMES, i % EMAIL_NAMES.length);
    return {
      at: sendAt,
      emailId: 4001 + i,
      name: `${program?.name ?? 'Acme Newsletter'}.${emailName}`,
      campaignId: 5001 + i,
      runId: 9001 + i,
    };
  });
}

/** A sample of subscribed leads gets each email; hot leads get every email of the last 30 days. */
function sendBlast(ctx: Context, rng: Rng, log: ActivityLog, blast: Blast, leads: MarketoLead[]): void {
  const subscribed = (l: MarketoLead) => !l.unsubscribed || (l.unsubscribedAt !== null && l.unsubscribedAt > blast.at);
  const eligible = leads.filter((l) => l.createdAt < blast.at && subscribed(l));
  const recipients = new Set(rng.sample(eligible, ctx.counts.blastRecipients));
  if (blast.at >= ctx.now - 30 * DAY) for (const lead of eligible) if (lead.hot) recipients.add(lead);
  for (const lead of recipients) {
    const email = { campaignId: blast.campaignId, primaryId: blast.emailId, primaryValue: blast.name };
    const run = { 'Campaign Run ID': blast.runId, 'Choice Number': 0, 'Step ID': blast.campaignId * 10 + 1 };
    const sentAt = blast.at + rng.int(0, 30 * MINUTE);
    log.add({ lead, at: sentAt, typeId: ACTIVITY.sendEmail, ...email, attributes: { ...run } });
    if (!lead.hot && rng.chance(0.015)) {
      const bounce = { Category: '1', Subcategory: '1003', Details: '550 5.1.1 User unknown', Email: lead.email };
      log.add({
        lead,
        at: sentAt + rng.int(1, 60) * SECOND,
        typeId: ACTIVITY.emailBounced,
        ...email,
        attributes: { ...run, ...bounce },
      });
      continue;
    }
    const deliveredAt = sentAt + rng.int(1, 120) * SECOND;
    log.add({ lead, at: deliveredAt, typeId: ACTIVITY.emailDelivered, ...email, attributes: { ...run } });
    openAndClick(ctx, rng, log, blast, lead, deliveredAt);
  }
}

function deviceAttributes(lead: MarketoLead): Attributes {
  const d = lead.device;
  return { Device: d.device, 'Is Mobile Device': d.mobile, Platform: d.platform, 'User Agent': d.userAgent };
}

/** Opens (some repeated) and sometimes a click, which often lands on the site as a tracked visit. */
function openAndClick(
  ctx: Context,
  rng: Rng,
  log: ActivityLog,
  blast: Blast,
  lead: MarketoLead,
  deliveredAt: number,
): void {
  const eager = lead.hot && blast.at >= ctx.now - 30 * DAY;
  if (!eager && !rng.chance(lead.engagement)) return;
  const email = { campaignId: blast.campaignId, primaryId: blast.emailId, primaryValue: blast.name };
  const attributes = { 'Campaign Run ID': blast.runId, ...deviceAttributes(lead) };
  const firstOpen = deliveredAt + 2 * MINUTE + rng.next() ** 2 * 30 * HOUR;
  const opens = eager ? 1 + (rng.chance(0.4) ? rng.int(1, 2) : 0) : rng.chance(0.15) ? 2 : 1;
  for (let i = 0, t = firstOpen; i < opens; i++, t += rng.int(10 * MINUTE, 20 * HOUR)) {
    log.add({ lead, at: t, typeId: ACTIVITY.openEmail, ...email, attributes: { ...attributes } });
  }
  if (!rng.chance(eager ? 0.45 : lead.engagement * 0.4)) return;
  const target = rng.pick([
    page('/pricing'),
    page('/blog/revenue-analytics-playbook'),
    page('/webinars'),
    page('/product'),
  ]);
  const query = `utm_source=marketo&utm_medium=email&utm_campaign=${blast.campaignId}`;
  const clickAt = firstOpen + rng.int(10 * SECOND, 15 * MINUTE);
  const link = `https://${SITE}${target.path}?${query}`;
  log.add({ lead, at: clickAt, typeId: ACTIVITY.clickEmail, ...email, attributes: { Link: link, ...attributes } });
  if (rng.chance(0.5)) addVisit(log, lead, clickAt + rng.int(3, 20) * SECOND, target, '', query);
}

function addUnsubscribes(log: ActivityLog, blasts: Blast[], leads: MarketoLead[]): void {
  for (const lead of leads) {
    const unsubscribedAt = lead.unsubscribedAt;
    if (unsubscribedAt === null) continue;
    const blast = blasts.filter((b) => b.at < unsubscribedAt).pop() ?? at(blasts, 0);
    const attributes = {
      'Client IP Address': lead.ip,
      'User Agent': lead.device.userAgent,
      'Mailing ID': blast.emailId,
    };
    log.add({
      lead,
      at: unsubscribedAt,
      typeId: ACTIVITY.unsubscribeEmail,
      campaignId: null,
      primaryId: blast.emailId,
      primaryValue: blast.name,
      attributes,
    });
  }
}

// ── Web behaviour

/** A Munchkin-tracked page view; primaryAttributeValue is host and path, e.g. `acme.example/pricing`. */
function addVisit(
  log: ActivityLog,
  lead: MarketoLead,
  time: number,
  target: WebPage,
  referrer: string,
  query: string,
): void {
  log.add({
    lead,
    at: time,
    typeId: ACTIVITY.visitWebpage,
    campaignId: null,
    primaryId: target.id,
    primaryValue: `${SITE}${target.path}`,
    attributes: {
      'Webpage URL': target.path,
      'Query Parameters': query,
      'Client IP Address': lead.ip,
      'Referrer URL': referrer,
      'User Agent': lead.device.userAgent,
    },
  });
}

function addFormFill(log: ActivityLog, lead: MarketoLead, time: number, target: WebPage): void {
  if (!target.form) return;
  log.add({
    lead,
    at: time,
    typeId: ACTIVITY.fillOutForm,
    campaignId: null,
    primaryId: target.form.id,
    primaryValue: target.form.name,
    attributes: {
      'Webpage ID': target.id,
      'Client IP Address': lead.ip,
      'Referrer URL': `https://${SITE}${target.path}`,
      'User Agent': lead.device.userAgent,
    },
  });
}

/** Pages viewed per browsing session, with weights. */
const PAGES_PER_SESSION = zipWeights([1, 2, 3, 4], [35, 30, 20, 15]);

/** Browsing sessions of 1–4 pages, more for engaged leads; a session may end in a form fill or a link click. */
function addWebSessions(ctx: Context, rng: Rng, log: ActivityLog, leads: MarketoLead[]): void {
  const pickLead = makePicker(rng, leads, (l) => l.engagement + 0.02);
  const pickPage = makePicker(rng, WEB_PAGES, (p) => p.weight);
  for (let s = 0; s < ctx.counts.webSessions; s++) {
    const lead = pickLead();
    let time = rng.time(Math.max(log.from, lead.createdAt), ctx.now);
    let referrer = rng.pick(REFERRERS);
    let current = pickPage();
    const pages = rng.weighted(PAGES_PER_SESSION);
    for (let p = 0; p < pages; p++, current = pickPage()) {
      addVisit(log, lead, time, current, referrer, '');
      referrer = `https://${SITE}${current.path}`;
      if (current.form && rng.chance(0.3)) {
        addFormFill(log, lead, time + rng.int(30, 180) * SECOND, current);
        break;
      }
      time += rng.int(20, 240) * SECOND;
    }
    if (rng.chance(0.15)) {
      const link = rng.pick(SITE_LINKS);
      const attributes = {
        'Webpage ID': current.id,
        'Client IP Address': lead.ip,
        'Referrer URL': referrer,
        'User Agent': lead.device.userAgent,
      };
      log.add({
        lead,
        at: time + rng.int(5, 60) * SECOND,
        typeId: ACTIVITY.clickLink,
        campaignId: null,
        primaryId: link.id,
        primaryValue: link.url,
        attributes,
      });
    }
  }
}

/** Hot leads look at pricing in the last two weeks, every one of them at least once in the last six days. */
function addHotLeadVisits(ctx: Context, rng: Rng, log: ActivityLog, leads: MarketoLead[]): void {
  for (const lead of leads) {
    if (!lead.hot) continue;
    const visits = rng.int(1, 3);
    for (let v = 0; v < visits; v++) {
      const time = rng.time(ctx.now - (v === 0 ? 6 : 14) * DAY, ctx.now - 10 * MINUTE);
      if (rng.chance(0.5))
        addVisit(log, lead, time - rng.int(1, 3) * MINUTE, page('/product'), rng.pick(REFERRERS), '');
      addVisit(log, lead, time, page('/pricing'), `https://${SITE}/product`, '');
    }
    if (rng.chance(0.3)) {
      const time = rng.time(ctx.now - 14 * DAY, ctx.now - 10 * MINUTE);
      addVisit(log, lead, time, page('/demo'), `https://${SITE}/pricing`, '');
      addFormFill(log, lead, time + rng.int(30, 180) * SECOND, page('/demo'));
    }
  }
}

// ── Scoring

/** The behaviour scoring smart campaigns of the instance: points, reason, smart campaign id. */
function scoreRule(a: Activity): readonly [number, string, number] | null {
  if (a.typeId === ACTIVITY.clickEmail) return [5, 'Clicked link in email', 6001];
  if (a.typeId === ACTIVITY.fillOutForm) {
    return a.primaryValue === 'Demo Request' ? [25, 'Requested a demo', 6002] : [15, 'Filled out form', 6003];
  }
  if (a.typeId === ACTIVITY.visitWebpage && a.primaryValue === `${SITE}/pricing`)
    return [10, 'Visited pricing page', 6004];
  return null;
}

function addScoreChanges(rng: Rng, log: ActivityLog): void {
  for (const trigger of log.items.slice()) {
    const rule = scoreRule(trigger);
    if (!rule) continue;
    const [points, reason, campaignId] = rule;
    log.add({
      lead: trigger.lead,
      at: trigger.at + rng.int(5, 240) * SECOND,
      typeId: ACTIVITY.changeScore,
      campaignId,
      primaryId: 38,
      primaryValue: 'Lead Score',
      attributes: { 'Change Value': `+${points}`, 'New Value': 0, 'Old Value': 0, Reason: reason },
      scoreDelta: points,
    });
  }
}

/**
 * Orders activities by time (ties keep creation order, so the result is deterministic), then replays
 * the score changes so Old/New Value chain up to the exported leadScore.
 */
function finishActivities(log: ActivityLog): Activity[] {
  const items = log.items.slice().sort((a, b) => a.at - b.at);
  for (const activity of items) {
    const lead = activity.lead;
    if (activity.scoreDelta !== undefined) {
      activity.attributes['Old Value'] = lead.score;
      lead.score += activity.scoreDelta;
      activity.attributes['New Value'] = lead.score;
      lead.updatedAt = Math.max(lead.updatedAt, activity.at);
    }
  }
  return items;
}

// ── Program members

interface ProgramMember {
  program: Campaign;
  lead: MarketoLead;
  status: string;
  success: boolean;
  membershipAt: number;
  updatedAt: number;
  registrationCode: string | null;
  trackName: string | null;
  cadence: string | null;
  exhausted: boolean;
  acquiredBy: boolean;
}

/** Program statuses by channel, and the status that counts as success. */
function programChannel(program: Campaign, now: number): { statuses: Weights; success: string } {
  const future = program.start > now;
  if (program.type === 'Webinar') {
    const statuses: Weights = future
      ? { Invited: 50, Registered: 50 }
      : { Invited: 25, Registered: 25, Attended: 30, 'No Show': 20 };
    return { statuses, success: 'Attended' };
  }
  if (program.type === 'Trade Show') {
    return {
      statuses: future ? { Invited: 1 } : { 'Visited Booth': 60, 'Had Conversation': 40 },
      success: 'Had Conversation',
    };
  }
  if (program.type === 'Email' && !program.nurture) {
    // Numbered like the statuses of Marketo's own email programs, so they sort in funnel order.
    return { statuses: { '01 Sent': 50, '02 Opened': 30, '03 Clicked': 20 }, success: '03 Clicked' };
  }
  return { statuses: { Member: 70, Engaged: 30 }, success: 'Engaged' };
}

function generateProgramMembers(ctx: Context, leads: MarketoLead[], programs: Campaign[]): ProgramMember[] {
  const rng = Rng.for(ctx, 'program-members');
  const pickProgram = makePicker(rng, programs, (p) => (p.nurture ? 3 : p.type === 'Email' ? 2 : 1));
  const seen = new Map<Campaign, Set<MarketoLead>>(programs.map((p) => [p, new Set()]));
  const members: ProgramMember[] = [];
  const maxAttempts = ctx.counts.programMembers * 20;
  for (let attempt = 0; members.length < ctx.counts.programMembers && attempt < maxAttempts; attempt++) {
    const program = pickProgram();
    const lead = rng.pick(leads);
    const already = seen.get(program);
    if (!already || already.has(lead)) continue;
    already.add(lead);
    members.push(makeProgramMember(ctx, rng, program, lead));
  }
  return members.sort((a, b) => a.program.programId - b.program.programId || a.membershipAt - b.membershipAt);
}

function makeProgramMember(ctx: Context, rng: Rng, program: Campaign, lead: MarketoLead): ProgramMember {
  const to = Math.min(program.end + DAY, ctx.now - HOUR);
  const membershipAt = rng.time(Math.min(Math.max(lead.createdAt, program.start - 21 * DAY), to), to);
  const channel = programChannel(program, ctx.now);
  const status = rng.choose(channel.statuses);
  const registered = program.type === 'Webinar' && status !== 'Invited';
  return {
    program,
    lead,
    status,
    success: status === channel.success,
    membershipAt,
    updatedAt: rng.time(membershipAt, Math.min(membershipAt + 10 * DAY, ctx.now - MINUTE)),
    registrationCode: registered ? rng.int(0x10000000, 0x7fffffff).toString(16) : null,
    trackName: program.nurture ? rng.pick(['Track 1 - Education', 'Track 2 - Evaluation']) : null,
    cadence: program.nurture ? rng.choose({ normal: 85, paused: 15 }) : null,
    exhausted: program.nurture && rng.chance(0.2),
    acquiredBy: Math.abs(lead.createdAt - membershipAt) < DAY,
  };
}

// ── Marketo files

const MARKETO_COLUMNS = {
  leads: words(
    'id,email,firstName,lastName,company,title,phone,city,country,leadSource,leadStatus,createdAt,updatedAt,sfdcLeadId,sfdcContactId,sfdcAccountId,ecid,leadScore,unsubscribed',
  ),
  activities: words(
    'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes',
  ),
  // The program member extract's standard fields, in the order Marketo writes them.
  programMembers: words(
    'isExhausted,webinarUrl,program,reachedSuccessDate,trackName,acquiredBy,membershipDate,createdAt,statusReason,registrationLikelihood,nurtureCadence,statusName,registrationCode,attendanceLikelihood,waitlistPriority,programId,reachedSuccess,leadId,updatedAt',
  ),
};

function marketoFiles(marketo: Marketo): OutputFile[] {
  const leads = marketo.leads.slice().sort((a, b) => a.id - b.id);
  return [
    marketoCsv('marketo/leads.csv', MARKETO_COLUMNS.leads, leads.map(marketoLeadRow)),
    marketoCsv('marketo/activities.csv', MARKETO_COLUMNS.activities, marketo.activities.map(activityRow)),
    marketoCsv('marketo/program_members.csv', MARKETO_COLUMNS.programMembers, marketo.members.map(programMemberRow)),
  ];
}

function marketoLeadRow(l: MarketoLead): Row {
  return {
    id: l.id,
    email: l.email,
    firstName: l.firstName,
    lastName: l.lastName,
    company: l.company,
    title: l.title,
    phone: l.phone,
    city: l.city,
    country: l.country,
    leadSource: l.leadSource,
    leadStatus: l.leadStatus,
    createdAt: mktoDateTime(l.createdAt),
    updatedAt: mktoDateTime(Math.max(l.createdAt, l.updatedAt)),
    sfdcLeadId: l.sfLead?.id ?? null,
    sfdcContactId: l.contact?.id ?? null,
    sfdcAccountId: l.contact?.account.id ?? null,
    ecid: l.ecid,
    leadScore: l.score,
    unsubscribed: l.unsubscribed,
  };
}

/** GUIDs follow activity time, as Marketo's are allocated when the activity is logged. */
function activityRow(a: Activity, index: number): Row {
  return {
    marketoGUID: String(7_340_001 + index),
    leadId: a.lead.id,
    activityDate: mktoDateTime(a.at),
    activityTypeId: a.typeId,
    campaignId: a.campaignId,
    primaryAttributeValueId: a.primaryId,
    primaryAttributeValue: a.primaryValue,
    attributes: JSON.stringify(a.attributes),
  };
}

/** Flags are written 0/1 as in Marketo's program member extract. */
function programMemberRow(m: ProgramMember): Row {
  const webinarUrl = m.registrationCode
    ? `https://${SITE}/webinars/${asciiSlug(m.program.name)}?reg=${m.registrationCode}`
    : null;
  return {
    isExhausted: m.exhausted ? 1 : 0,
    webinarUrl,
    program: m.program.name,
    reachedSuccessDate: m.success ? mktoDateTime(m.updatedAt) : null,
    trackName: m.trackName,
    acquiredBy: m.acquiredBy ? 1 : 0,
    membershipDate: mktoDateTime(m.membershipAt),
    createdAt: mktoDateTime(m.membershipAt),
    statusReason: null,
    registrationLikelihood: null,
    nurtureCadence: m.cadence,
    statusName: m.status,
    registrationCode: m.registrationCode,
    attendanceLikelihood: null,
    waitlistPriority: null,
    programId: m.program.programId,
    reachedSuccess: m.success ? 1 : 0,
    leadId: m.lead.id,
    updatedAt: mktoDateTime(m.updatedAt),
  };
}

// ───────────────────────────── Web events (HTTP ingest) ─────────────────────────────

interface WebEvent {
  type: 'web.visit' | 'product.signup' | 'form.filled';
  occurredAt: string;
  email: string;
  ecid?: string;
  attributes: Record<string, string>;
}

interface EventPerson {
  email: string;
  ecid: string | null;
  company: string;
  hot: boolean;
  known: boolean;
}

/**
 * Events of the last 2 days: mostly people Marketo knows (hot leads more often, looking at pricing),
 * some newcomers signing up for the product with a personal mailbox.
 */
function webEventsFile(ctx: Context, leads: MarketoLead[]): { content: string; records: number } {
  const rng = Rng.for(ctx, 'web-events');
  const pickLead = makePicker(rng, leads, (l) => (l.hot ? 1 : l.engagement + 0.05));
  const taken = new Set(leads.map((l) => l.email.toLowerCase()));
  const newcomers = Array.from({ length: Math.max(1, Math.round(ctx.counts.webEvents * 0.05)) }, () =>
    newcomer(rng, taken),
  );
  const events: { at: number; event: WebEvent }[] = [];
  for (let i = 0; i < ctx.counts.webEvents; i++) {
    const person: EventPerson = rng.chance(0.85) ? knownPerson(rng, pickLead()) : rng.pick(newcomers);
    const at = rng.time(ctx.now - 2 * DAY, ctx.now) + rng.int(0, 999);
    events.push({ at, event: webEvent(rng, person, at) });
  }
  events.sort((a, b) => a.at - b.at);
  return { content: events.map((e) => `${JSON.stringify(e.event)}\n`).join(''), records: events.length };
}

function knownPerson(rng: Rng, lead: MarketoLead): EventPerson {
  // Web forms lowercase nothing: a few people type their address capitalized.
  const email = rng.chance(0.03) ? capitalizeEmail(lead.email.toLowerCase()) : lead.email.toLowerCase();
  return {
    email,
    ecid: lead.ecid && rng.chance(0.9) ? lead.ecid : null,
    company: lead.company ?? '',
    hot: lead.hot,
    known: true,
  };
}

function newcomer(rng: Rng, taken: Set<string>): EventPerson {
  const name = randomName(rng);
  const email = uniqueEmail(rng, taken, name, rng.pick(PERSONAL_DOMAINS));
  return {
    email,
    ecid: rng.chance(0.5) ? experienceCloudId(rng) : null,
    company: `${name.last} Consulting`,
    hot: false,
    known: false,
  };
}

function webEvent(rng: Rng, person: EventPerson, time: number): WebEvent {
  const type = person.known
    ? rng.choose({ 'web.visit': 78, 'form.filled': 12, 'product.signup': 10 })
    : rng.choose({ 'web.visit': 45, 'product.signup': 40, 'form.filled': 15 });
  const base = {
    type,
    occurredAt: new Date(time).toISOString(),
    email: person.email,
    ...(person.ecid ? { ecid: person.ecid } : {}),
  };
  if (type === 'product.signup') {
    const plan = rng.choose({ trial: 70, free: 30 });
    return {
      ...base,
      attributes: { url: `https://app.${SITE}/signup`, plan, workspace: asciiSlug(person.company) || 'personal' },
    };
  }
  if (type === 'form.filled') {
    const target = rng.pick(WEB_PAGES.filter((p) => p.form));
    return { ...base, attributes: { url: `https://${SITE}${target.path}`, formName: target.form?.name ?? '' } };
  }
  const target =
    person.hot && rng.chance(0.5) ? page('/pricing') : rng.weighted(WEB_PAGES.map((p) => [p, p.weight] as const));
  return {
    ...base,
    attributes: { url: `https://${SITE}${target.path}`, referrer: rng.pick(REFERRERS), pageTitle: target.title },
  };
}

// ───────────────────────────── CLI ─────────────────────────────

const USAGE = 'usage: node bin/run-ts.js examples/acme/generate-data.ts [--out DIR] [--seed N] [--scale X] [--now ISO]';

function parseArgs(argv: readonly string[]): AcmeDataOptions {
  const options: AcmeDataOptions = { outDir: path.join('examples', 'acme', 'data') };
  for (let i = 0; i < argv.length; i++) {
    const arg = at(argv, i);
    const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--out') options.outDir = value;
    else if (flag === '--seed') options.seed = parseNumber(flag, value, Number.isInteger);
    else if (flag === '--scale') options.scale = parseNumber(flag, value, (n) => n > 0);
    else if (flag === '--now') {
      options.now = new Date(value);
      if (Number.isNaN(options.now.getTime())) throw new Error(`--now: not a date: ${value}`);
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}

function parseNumber(flag: string, value: string, valid: (n: number) => boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !valid(n)) throw new Error(`${flag}: invalid value ${value}`);
  return n;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const summary = await generateAcmeData(options);
  const width = Math.max(...summary.files.map((f) => f.path.length));
  for (const file of summary.files) {
    console.log(
      `${path.join(options.outDir, file.path).padEnd(width + options.outDir.length + 1)}  ${file.records} records`,
    );
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
