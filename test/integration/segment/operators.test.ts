import { Pool } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSegment } from '../../../engine/segment/evaluate-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import type { Condition } from '../../../schemas/generated/resource-types';
import { testDatabaseUrl } from '../../support/test-database';
import {
  A_SECOND_BEYOND_30_DAYS,
  allAccountsBut,
  allPersonsBut,
  BOUNDARY_DATA,
  EXACTLY_30_DAYS_AGO,
  NOW,
} from './boundary-data';
import {
  memberLabels,
  type SegmentDefinition,
  segmentYaml,
  useSegmentWorkspace,
  writeConfig,
  writeCrmData,
} from './segment-sandbox';

// Persons by label (email; Quinn has none).
const ANN = 'Ann@Acme.Example';
const BO = 'bo@acme.example';
const CY = 'cy@acme.eu';
const DI = 'di@globex.example';
const ED = 'ed@globex.example';
const FAY = 'fay@initech.example';
const GUS = 'gus@globex.example';
const HAL = 'hal@labs.globex.example';
const IVY = 'ivy@initech.example';
const KAI = 'kai@events.example';
const LEA = 'lea@events.example';
const MAX = 'max@events.example';
const NED = 'ned@events.example';
const OLI = 'oli@events.example';
const PIA = 'pia@events.example';
const QUINN = 'Quinn';

const workspace = useSegmentWorkspace();
const segments: SegmentDefinition[] = [];
const members = new Map<string, string[]>();
let sandbox: string;

/** Declares a segment (applied and evaluated once, in `beforeAll`); returns its name. */
function person(name: string, where: Condition): string {
  segments.push({ name, subject: 'person', where });
  return name;
}
function account(name: string, where: Condition): string {
  segments.push({ name, subject: 'account', where });
  return name;
}

/** The segment's members after evaluation at `NOW`, read with plain SQL. */
function membersOf(name: string): string[] {
  const found = members.get(name);
  if (!found) throw new Error(`segment ${name} was not evaluated`);
  return found;
}

const sorted = (...labels: string[]) => [...labels].sort();

beforeAll(async () => {
  const created = await workspace.newSandbox('segop');
  sandbox = created.sandbox;
  const files = Object.fromEntries(segments.map((s) => [`segments/${s.name}.yaml`, segmentYaml(s)]));
  await writeConfig(created.dir, files);
  await writeCrmData(created.dir, BOUNDARY_DATA);
  await workspace.applyAndLoad(created.dir, sandbox);
  // No loader writes an empty string (empty fields become null), so this one is set by hand.
  await workspace.pool.query(`update roster_${sandbox}.persons set department = '' where email = $1`, [FAY]);
  for (const segment of await readAppliedSegments(workspace.pool, sandbox)) {
    await evaluateSegment(workspace.pool, sandbox, segment, NOW);
  }
  for (const segment of segments) members.set(segment.name, await memberLabels(workspace.pool, sandbox, segment.name));
}, 120_000);

describe('the boundary data set', () => {
  it('loads whole: 17 persons, 5 accounts, every relation row linked to its profiles', async () => {
    const s = `roster_${sandbox}`;
    const { rows } = await workspace.pool.query(
      `select (select count(*)::int from ${s}.persons) as persons,
              (select count(*)::int from ${s}.accounts) as accounts,
              (select count(*)::int from ${s}.persons where account_id is not null) as linked,
              (select count(*)::int from ${s}.accounts where parent_account_id is not null) as children,
              (select count(*)::int from ${s}.opportunities where account_id is null) as "oppsUnlinked",
              (select count(*)::int from ${s}.opportunity_roles where person_id is null or opportunity_id is null) as "rolesUnlinked",
              (select count(*)::int from ${s}.account_person_relations where person_id is null or account_id is null) as "relationsUnlinked",
              (select count(*)::int from ${s}.campaign_members where person_id is null or campaign_id is null) as "campaignMembersUnlinked",
              (select count(*)::int from ${s}.marketing_list_members where person_id is null or list_id is null) as "listMembersUnlinked",
              (select count(*)::int from ${s}.events where person_id is null) as "eventsUnlinked"`,
    );
    expect(rows[0]).toEqual({
      persons: 17,
      accounts: 5,
      linked: 10,
      children: 2,
      oppsUnlinked: 0,
      rolesUnlinked: 0,
      relationsUnlinked: 0,
      campaignMembersUnlinked: 0,
      listMembersUnlinked: 0,
      eventsUnlinked: 0,
    });
  });
});

describe('string operators', () => {
  const emailEq = person('str-email-eq', { attribute: 'email', op: 'eq', value: 'ann@ACME.example' });
  const titleEq = person('str-title-eq', { attribute: 'jobTitle', op: 'eq', value: 'VP Sales' });
  const titleNeq = person('str-title-neq', { attribute: 'jobTitle', op: 'neq', value: 'VP Sales' });
  const titleNotEq = person('str-title-not-eq', { not: { attribute: 'jobTitle', op: 'eq', value: 'VP Sales' } });
  const emailNeq = person('str-email-neq', { attribute: 'email', op: 'neq', value: 'ANN@acme.example' });
  const countryIn = person('str-country-in', { attribute: 'country', op: 'in', value: ['US', 'DE'] });
  const emailIn = person('str-email-in', {
    attribute: 'email',
    op: 'in',
    value: ['BO@ACME.EXAMPLE', 'nobody@acme.example'],
  });
  const countryNotIn = person('str-country-notin', { attribute: 'country', op: 'notIn', value: ['US', 'DE'] });
  const notCountryIn = person('str-not-country-in', { not: { attribute: 'country', op: 'in', value: ['US', 'DE'] } });
  const contains = person('str-contains', { attribute: 'jobTitle', op: 'contains', value: 'SALES' });
  const startsWith = person('str-startswith', { attribute: 'jobTitle', op: 'startsWith', value: 'vp' });
  const notStartsWith = person('str-not-startswith', { not: { attribute: 'jobTitle', op: 'startsWith', value: 'vp' } });
  const endsWith = person('str-endswith', { attribute: 'jobTitle', op: 'endsWith', value: 'MARKETING' });
  const emailEndsWith = person('str-email-endswith', { attribute: 'email', op: 'endsWith', value: '@ACME.example' });
  const matches = person('str-matches', { attribute: 'jobTitle', op: 'matches', value: '^VP ' });
  const matchesEnd = person('str-matches-end', { attribute: 'jobTitle', op: 'matches', value: 'sales$' });
  const emailMatches = person('str-email-matches', { attribute: 'email', op: 'matches', value: '^ANN@' });

  it('eq on a case-insensitive attribute (email) ignores case', () => {
    expect(membersOf(emailEq)).toEqual([ANN]);
  });

  it('eq on other strings is case-sensitive', () => {
    expect(membersOf(titleEq)).toEqual([ANN]);
  });

  it('neq keeps other values and excludes persons without a value; not eq includes them', () => {
    expect(membersOf(titleNeq)).toEqual(sorted(BO, CY, DI));
    expect(membersOf(titleNotEq)).toEqual(allPersonsBut(ANN));
  });

  it('neq on email ignores case and excludes the person without an email', () => {
    expect(membersOf(emailNeq)).toEqual(allPersonsBut(ANN, QUINN));
  });

  it('in is case-sensitive for ordinary strings and case-insensitive for email', () => {
    expect(membersOf(countryIn)).toEqual(sorted(ANN, CY));
    expect(membersOf(emailIn)).toEqual([BO]);
  });

  it('notIn excludes persons without a value; not in includes them', () => {
    expect(membersOf(countryNotIn)).toEqual(sorted(BO, ED));
    expect(membersOf(notCountryIn)).toEqual(allPersonsBut(ANN, CY));
  });

  it('contains, startsWith and endsWith ignore case', () => {
    expect(membersOf(contains)).toEqual(sorted(ANN, BO, DI));
    expect(membersOf(startsWith)).toEqual(sorted(ANN, BO));
    expect(membersOf(endsWith)).toEqual([CY]);
    expect(membersOf(emailEndsWith)).toEqual(sorted(ANN, BO));
  });

  it('not startsWith includes persons without a value', () => {
    expect(membersOf(notStartsWith)).toEqual(allPersonsBut(ANN, BO));
  });

  it('matches is case-sensitive for ordinary strings and case-insensitive for email', () => {
    expect(membersOf(matches)).toEqual([ANN]);
    expect(membersOf(matchesEnd)).toEqual([BO]);
    expect(membersOf(emailMatches)).toEqual([ANN]);
  });
});

describe('exists and notExists', () => {
  const titleExists = person('ex-title-exists', { attribute: 'jobTitle', op: 'exists' });
  const deptExists = person('ex-dept-exists', { attribute: 'department', op: 'exists' });
  const deptNotExists = person('ex-dept-notexists', { attribute: 'department', op: 'notExists' });
  const scoreExists = person('ex-score-exists', { attribute: 'score', op: 'exists' });
  const scoreNotExists = person('ex-score-notexists', { attribute: 'score', op: 'notExists' });
  const createdNotExists = person('ex-created-notexists', { attribute: 'createdAt', op: 'notExists' });
  const optOutNotExists = person('ex-optout-notexists', { attribute: 'emailOptOut', op: 'notExists' });
  const industryExists = account('ex-industry-exists', { attribute: 'industry', op: 'exists' });

  it('exists holds for persons with a value', () => {
    expect(membersOf(titleExists)).toEqual(sorted(ANN, BO, CY, DI));
  });

  it('counts an empty string as missing', () => {
    expect(membersOf(deptExists)).toEqual(sorted(ANN, GUS));
    expect(membersOf(deptNotExists)).toEqual(allPersonsBut(ANN, GUS));
    expect(membersOf(deptNotExists)).toContain(FAY);
  });

  it('applies to custom numbers, datetimes, booleans and account attributes', () => {
    expect(membersOf(scoreExists)).toEqual(sorted(ANN, BO, CY, DI, ED));
    expect(membersOf(scoreNotExists)).toEqual(allPersonsBut(ANN, BO, CY, DI, ED));
    expect(membersOf(createdNotExists)).toEqual(allPersonsBut(ANN, BO, CY, DI, ED));
    expect(membersOf(optOutNotExists)).toEqual(allPersonsBut(ANN, BO, DI));
    expect(membersOf(industryExists)).toEqual(allAccountsBut('Initech'));
  });
});

describe('number operators', () => {
  // score: ANN 10, BO 19.5, CY 20, DI 20.5, ED 30, everyone else none.
  const eq = person('num-eq', { attribute: 'score', op: 'eq', value: 20 });
  const neq = person('num-neq', { attribute: 'score', op: 'neq', value: 20 });
  const gt = person('num-gt', { attribute: 'score', op: 'gt', value: 20 });
  const gte = person('num-gte', { attribute: 'score', op: 'gte', value: 20 });
  const lt = person('num-lt', { attribute: 'score', op: 'lt', value: 20 });
  const lte = person('num-lte', { attribute: 'score', op: 'lte', value: 20 });
  const between = person('num-between', { attribute: 'score', op: 'between', value: [19.5, 20.5] });
  const inList = person('num-in', { attribute: 'score', op: 'in', value: [10, 30] });
  const notInList = person('num-notin', { attribute: 'score', op: 'notIn', value: [10, 30] });
  const notGt = person('num-not-gt', { not: { attribute: 'score', op: 'gt', value: 20 } });
  // annualRevenue: Acme Corp 1000000, Acme Europe 999999, Globex 1000001, Initech none, Globex Labs 50.
  const revGte = account('num-rev-gte', { attribute: 'annualRevenue', op: 'gte', value: 1000000 });
  const revGt = account('num-rev-gt', { attribute: 'annualRevenue', op: 'gt', value: 1000000 });
  const revLt = account('num-rev-lt', { attribute: 'annualRevenue', op: 'lt', value: 1000000 });
  const revBetween = account('num-rev-between', {
    attribute: 'annualRevenue',
    op: 'between',
    value: [999999, 1000000],
  });
  const revNotGte = account('num-rev-not-gte', { not: { attribute: 'annualRevenue', op: 'gte', value: 1000000 } });
  const employeesLte = account('num-employees-lte', { attribute: 'numberOfEmployees', op: 'lte', value: 50 });

  it('eq and neq (neq excludes persons without a value)', () => {
    expect(membersOf(eq)).toEqual([CY]);
    expect(membersOf(neq)).toEqual(sorted(ANN, BO, DI, ED));
  });

  it('gt and gte, lt and lte differ exactly at the bound', () => {
    expect(membersOf(gt)).toEqual(sorted(DI, ED));
    expect(membersOf(gte)).toEqual(sorted(CY, DI, ED));
    expect(membersOf(lt)).toEqual(sorted(ANN, BO));
    expect(membersOf(lte)).toEqual(sorted(ANN, BO, CY));
  });

  it('between includes both bounds', () => {
    expect(membersOf(between)).toEqual(sorted(BO, CY, DI));
  });

  it('in and notIn (notIn excludes persons without a value)', () => {
    expect(membersOf(inList)).toEqual(sorted(ANN, ED));
    expect(membersOf(notInList)).toEqual(sorted(BO, CY, DI));
  });

  it('not gt includes persons without a value', () => {
    expect(membersOf(notGt)).toEqual(allPersonsBut(DI, ED));
  });

  it('compares built-in account numbers at their bounds', () => {
    expect(membersOf(revGte)).toEqual(sorted('Acme Corp', 'Globex'));
    expect(membersOf(revGt)).toEqual(['Globex']);
    expect(membersOf(revLt)).toEqual(sorted('Acme Europe', 'Globex Labs'));
    expect(membersOf(revBetween)).toEqual(sorted('Acme Corp', 'Acme Europe'));
    expect(membersOf(revNotGte)).toEqual(sorted('Acme Europe', 'Globex Labs', 'Initech'));
    expect(membersOf(employeesLte)).toEqual(sorted('Acme Europe', 'Initech'));
  });
});

describe('boolean operators', () => {
  // emailOptOut: ANN false, BO true, DI false, everyone else none.
  const isTrue = person('bool-eq-true', { attribute: 'emailOptOut', op: 'eq', value: true });
  const isFalse = person('bool-eq-false', { attribute: 'emailOptOut', op: 'eq', value: false });
  const neqTrue = person('bool-neq-true', { attribute: 'emailOptOut', op: 'neq', value: true });
  const notTrue = person('bool-not-true', { not: { attribute: 'emailOptOut', op: 'eq', value: true } });

  it('eq true and eq false leave out persons without a value', () => {
    expect(membersOf(isTrue)).toEqual([BO]);
    expect(membersOf(isFalse)).toEqual(sorted(ANN, DI));
  });

  it('neq true leaves out persons without a value; not eq true includes them', () => {
    expect(membersOf(neqTrue)).toEqual(sorted(ANN, DI));
    expect(membersOf(notTrue)).toEqual(allPersonsBut(BO));
  });
});

describe('datetime operators', () => {
  // createdAt: ANN exactly 30 days before NOW, BO 30 days and 1 second, CY in an hour,
  // DI 2026-01-01T00:00:00Z, ED one second before that; everyone else none.
  const within = person('dt-within', { attribute: 'createdAt', op: 'within', value: '30d' });
  const notWithin = person('dt-not-within', { not: { attribute: 'createdAt', op: 'within', value: '30d' } });
  const olderThan = person('dt-olderthan', { attribute: 'createdAt', op: 'olderThan', value: '30d' });
  const before = person('dt-before', { attribute: 'createdAt', op: 'before', value: '2026-01-01T00:00:00Z' });
  const after = person('dt-after', { attribute: 'createdAt', op: 'after', value: '2026-01-01T00:00:00Z' });
  const afterOffset = person('dt-after-offset', {
    attribute: 'createdAt',
    op: 'after',
    value: '2025-12-31T19:00:00-05:00',
  });
  const between = person('dt-between', {
    attribute: 'createdAt',
    op: 'between',
    value: ['2025-12-31T23:59:59Z', '2026-01-01T00:00:00Z'],
  });
  const eq = person('dt-eq', { attribute: 'createdAt', op: 'eq', value: '2026-01-01T00:00:00Z' });
  const withinHours = person('dt-within-hours', { attribute: 'createdAt', op: 'within', value: '720h' });
  const withinMinutes = person('dt-within-minutes', { attribute: 'createdAt', op: 'within', value: '43199m' });

  it('within 30d includes exactly 30 days ago, not one second more, and not the future', () => {
    expect(EXACTLY_30_DAYS_AGO).toBe('2026-05-16T12:00:00.000Z');
    expect(A_SECOND_BEYOND_30_DAYS).toBe('2026-05-16T11:59:59.000Z');
    expect(membersOf(within)).toEqual([ANN]);
  });

  it('not within includes persons without a value and in the future', () => {
    expect(membersOf(notWithin)).toEqual(allPersonsBut(ANN));
  });

  it('olderThan 30d starts one second beyond 30 days', () => {
    expect(membersOf(olderThan)).toEqual(sorted(BO, DI, ED));
  });

  it('reads hours and minutes as units (720h = 30d; 43199m is one minute short)', () => {
    expect(membersOf(withinHours)).toEqual([ANN]);
    expect(membersOf(withinMinutes)).toEqual([]);
  });

  it('before and after exclude the instant itself; a UTC offset in the value is honoured', () => {
    expect(membersOf(before)).toEqual([ED]);
    expect(membersOf(after)).toEqual(sorted(ANN, BO, CY));
    expect(membersOf(afterOffset)).toEqual(sorted(ANN, BO, CY));
  });

  it('between includes both instants; eq matches the instant', () => {
    expect(membersOf(between)).toEqual(sorted(DI, ED));
    expect(membersOf(eq)).toEqual([DI]);
  });
});

describe('date operators', () => {
  // lastContactDate (custom date): ANN 2026-06-15 (today), BO 2026-05-16, CY 2026-05-15, DI 2026-06-16.
  const eq = person('date-eq', { attribute: 'lastContactDate', op: 'eq', value: '2026-06-15' });
  const before = person('date-before', { attribute: 'lastContactDate', op: 'before', value: '2026-05-16' });
  const after = person('date-after', { attribute: 'lastContactDate', op: 'after', value: '2026-06-15' });
  const between = person('date-between', {
    attribute: 'lastContactDate',
    op: 'between',
    value: ['2026-05-16', '2026-06-15'],
  });
  const within = person('date-within', { attribute: 'lastContactDate', op: 'within', value: '30d' });
  const olderThan = person('date-olderthan', { attribute: 'lastContactDate', op: 'olderThan', value: '30d' });
  const closeBefore = account('date-close-before', {
    opportunities: { where: { attribute: 'closeDate', op: 'before', value: '2026-05-16' } },
  });
  const closeAfter = account('date-close-after', {
    opportunities: { where: { attribute: 'closeDate', op: 'after', value: '2026-06-15' } },
  });

  it('eq, before, after and between compare whole days, bounds included only by between', () => {
    expect(membersOf(eq)).toEqual([ANN]);
    expect(membersOf(before)).toEqual([CY]);
    expect(membersOf(after)).toEqual([DI]);
    expect(membersOf(between)).toEqual(sorted(ANN, BO));
    expect(membersOf(closeBefore)).toEqual(['Globex']);
    expect(membersOf(closeAfter)).toEqual(['Globex']);
  });

  // ASSUMED SEMANTICS: a date is the instant it starts (midnight UTC). At NOW (noon) the window of
  // 30d starts at 2026-05-16T12:00Z, so 2026-05-16 is older than 30 days and today is within.
  it('within and olderThan treat a date as its midnight (UTC); tomorrow is in neither', () => {
    expect(membersOf(within)).toEqual([ANN]);
    expect(membersOf(olderThan)).toEqual(sorted(BO, CY));
  });
});

describe('combinators', () => {
  const anyOf = person('comb-any', {
    any: [
      { attribute: 'jobTitle', op: 'eq', value: 'VP Sales' },
      { attribute: 'country', op: 'eq', value: 'FR' },
    ],
  });
  const allOf = person('comb-all', {
    all: [
      { attribute: 'jobTitle', op: 'contains', value: 'sales' },
      { not: { attribute: 'emailOptOut', op: 'eq', value: true } },
    ],
  });
  const nested = person('comb-nested', {
    not: {
      any: [
        { attribute: 'email', op: 'endsWith', value: '@events.example' },
        {
          all: [
            { attribute: 'score', op: 'exists' },
            { attribute: 'score', op: 'lt', value: 25 },
          ],
        },
      ],
    },
  });

  it('any is OR, all is AND, not of a nested tree is its complement', () => {
    expect(membersOf(anyOf)).toEqual(sorted(ANN, ED));
    expect(membersOf(allOf)).toEqual(sorted(ANN, DI));
    expect(membersOf(nested)).toEqual(sorted(ED, FAY, GUS, HAL, IVY, 'jo@gmail.com', QUINN));
  });
});

describe('account and parent relations', () => {
  const industry = person('rel-account-industry', { attribute: 'account.industry', op: 'eq', value: 'Technology' });
  const notIndustry = person('rel-not-account-industry', {
    not: { attribute: 'account.industry', op: 'eq', value: 'Technology' },
  });
  const domain = person('rel-account-domain', { account: { attribute: 'domain', op: 'eq', value: 'acme.example' } });
  const revenue = person('rel-account-revenue', { attribute: 'account.annualRevenue', op: 'gte', value: 1000000 });
  const grandparent = person('rel-account-parent', {
    account: { parent: { attribute: 'name', op: 'eq', value: 'Globex' } },
  });
  const parentName = account('rel-parent-name', { attribute: 'parent.name', op: 'eq', value: 'Acme Corp' });
  const parentIndustry = account('rel-parent-industry', {
    parent: { attribute: 'industry', op: 'eq', value: 'Finance' },
  });
  const noParent = account('rel-no-parent', { not: { parent: { attribute: 'name', op: 'exists' } } });

  it("reads the person's account (industry is case-sensitive, so Acme Europe's 'technology' is out)", () => {
    expect(membersOf(industry)).toEqual(sorted(ANN, BO));
  });

  it('not over an account attribute includes persons without an account', () => {
    expect(membersOf(notIndustry)).toEqual(allPersonsBut(ANN, BO));
  });

  it('compares the account domain case-insensitively', () => {
    expect(membersOf(domain)).toEqual(sorted(ANN, BO));
  });

  it('compares account numbers', () => {
    expect(membersOf(revenue)).toEqual(sorted(ANN, BO, DI, ED, GUS));
  });

  it("follows the account's parent", () => {
    expect(membersOf(grandparent)).toEqual([HAL]);
    expect(membersOf(parentName)).toEqual(['Acme Europe']);
    expect(membersOf(parentIndustry)).toEqual(['Globex Labs']);
    expect(membersOf(noParent)).toEqual(sorted('Acme Corp', 'Globex', 'Initech'));
  });
});

describe('opportunities', () => {
  const role = person('opp-role', { opportunities: { role: ['DECISION MAKER'] } });
  const rolePrimary = person('opp-role-primary', { opportunities: { role: ['Decision Maker'], primary: true } });
  const roleNotPrimary = person('opp-role-not-primary', {
    opportunities: { role: ['Decision Maker'], primary: false },
  });
  const primary = person('opp-primary', { opportunities: { primary: true } });
  const two = person('opp-count-gte-2', { opportunities: { count: { gte: 2 } } });
  const one = person('opp-count-eq-1', { opportunities: { count: { eq: 1 } } });
  const atMostOne = person('opp-count-lte-1', { opportunities: { count: { lte: 1 } } });
  const none = person('opp-count-eq-0', { opportunities: { count: { eq: 0 } } });
  const open = person('opp-open', { opportunities: { where: { attribute: 'isClosed', op: 'eq', value: false } } });
  const closed = person('opp-closed', { opportunities: { where: { attribute: 'isClosed', op: 'eq', value: true } } });
  const notOpen = person('opp-not-open', {
    not: { opportunities: { where: { attribute: 'isClosed', op: 'eq', value: false } } },
  });
  const won = person('opp-won', { opportunities: { where: { attribute: 'isWon', op: 'eq', value: true } } });
  const atFinance = person('opp-account-industry', {
    opportunities: { where: { attribute: 'account.industry', op: 'eq', value: 'Finance' } },
  });
  const openDecisionMaker = person('opp-open-decision-maker', {
    opportunities: { role: ['decision maker'], where: { attribute: 'isClosed', op: 'eq', value: false } },
  });
  const accountTwo = account('opp-account-count-gte-2', { opportunities: { count: { gte: 2 } } });
  const accountNone = account('opp-account-count-eq-0', { opportunities: { count: { eq: 0 } } });
  const accountBig = account('opp-account-amount-gte', {
    opportunities: { where: { attribute: 'amount', op: 'gte', value: 100000 } },
  });
  const accountBigger = account('opp-account-amount-gt', {
    opportunities: { where: { attribute: 'amount', op: 'gt', value: 100000 } },
  });
  const accountNoAmount = account('opp-account-amount-notexists', {
    opportunities: { where: { attribute: 'amount', op: 'notExists' } },
  });

  it('filters contact roles case-insensitively', () => {
    expect(membersOf(role)).toEqual(sorted(ANN, BO, DI, ED));
  });

  it('tells primary from non-primary roles (no flag counts as non-primary)', () => {
    expect(membersOf(rolePrimary)).toEqual(sorted(ANN, ED));
    expect(membersOf(roleNotPrimary)).toEqual(sorted(BO, DI));
    expect(membersOf(primary)).toEqual(sorted(ANN, DI, ED));
  });

  it('counts opportunities: gte 2, eq 1, lte 1 (including none) and eq 0', () => {
    expect(membersOf(two)).toEqual(sorted(ANN, DI));
    expect(membersOf(one)).toEqual(sorted(BO, ED, IVY));
    expect(membersOf(atMostOne)).toEqual(allPersonsBut(ANN, DI));
    expect(membersOf(none)).toEqual(allPersonsBut(ANN, BO, DI, ED, IVY));
  });

  it('tells open from closed opportunities (an unknown isClosed is neither)', () => {
    expect(membersOf(open)).toEqual(sorted(ANN, BO, DI, ED));
    expect(membersOf(closed)).toEqual(sorted(ANN, DI));
    expect(membersOf(notOpen)).toEqual(allPersonsBut(ANN, BO, DI, ED));
    expect(membersOf(won)).toEqual([ANN]);
  });

  it("reads the opportunity's account, and combines a role filter with a condition", () => {
    expect(membersOf(atFinance)).toEqual(sorted(DI, ED));
    expect(membersOf(openDecisionMaker)).toEqual(sorted(ANN, BO, ED));
  });

  it("counts and filters an account's opportunities", () => {
    expect(membersOf(accountTwo)).toEqual(sorted('Acme Corp', 'Globex'));
    expect(membersOf(accountNone)).toEqual(sorted('Acme Europe', 'Globex Labs'));
    expect(membersOf(accountBig)).toEqual(sorted('Acme Corp', 'Globex'));
    expect(membersOf(accountBigger)).toEqual(['Acme Corp']);
    expect(membersOf(accountNoAmount)).toEqual(['Initech']);
  });
});

describe('account relations of a person', () => {
  const active = person('ar-active', { accountRelations: { active: true } });
  const inactive = person('ar-inactive', { accountRelations: { active: false } });
  const activeFinance = person('ar-active-finance', {
    accountRelations: { active: true, where: { attribute: 'industry', op: 'eq', value: 'Finance' } },
  });
  const inactiveEurope = person('ar-inactive-europe', {
    accountRelations: { active: false, where: { attribute: 'name', op: 'eq', value: 'Acme Europe' } },
  });
  const champion = person('ar-role', { accountRelations: { role: ['CHAMPION'] } });
  const activeChampion = person('ar-role-active', { accountRelations: { role: ['champion'], active: true } });
  const primary = person('ar-primary', { accountRelations: { primary: true } });
  const none = person('ar-count-eq-0', { accountRelations: { count: { eq: 0 } } });
  const two = person('ar-count-gte-2', { accountRelations: { count: { gte: 2 } } });

  it('active: flagged (or unflagged) and today within start and end dates, both inclusive', () => {
    // X1 open-ended, X4 ends today (no flag), X6 starts today.
    expect(membersOf(active)).toEqual(sorted(ANN, ED, HAL));
  });

  it('inactive: ended yesterday, flagged inactive, or starting tomorrow', () => {
    // X2 ended yesterday, X3 isActive false, X5 starts tomorrow.
    expect(membersOf(inactive)).toEqual(sorted(ANN, DI, IVY));
  });

  it("combines the active filter with the related account's attributes", () => {
    expect(membersOf(activeFinance)).toEqual([ED]);
    expect(membersOf(inactiveEurope)).toEqual([ANN]);
  });

  it('filters by role case-insensitively, with and without active', () => {
    expect(membersOf(champion)).toEqual(sorted(ANN, ED, IVY));
    expect(membersOf(activeChampion)).toEqual(sorted(ANN, ED));
  });

  it('filters primary relations and counts them', () => {
    expect(membersOf(primary)).toEqual([ANN]);
    expect(membersOf(two)).toEqual([ANN]);
    expect(membersOf(none)).toEqual(allPersonsBut(ANN, DI, ED, HAL, IVY));
  });
});

describe('persons of an account (account audiences)', () => {
  const three = account('ap-count-gte-3', { persons: { count: { gte: 3 } } });
  const two = account('ap-count-eq-2', { persons: { count: { eq: 2 } } });
  const one = account('ap-count-eq-1', { persons: { count: { eq: 1 } } });
  const salesTitles = account('ap-sales-titles', {
    persons: { where: { attribute: 'jobTitle', op: 'contains', value: 'sales' } },
  });
  const champions = account('ap-role', { persons: { role: ['CHAMPION'] } });
  const activeChampions = account('ap-role-active', { persons: { role: ['Champion'], active: true } });
  const inactive = account('ap-inactive', { persons: { active: false } });

  it('counts the persons linked to the account (by their account or a relation, each once) and reads their attributes', () => {
    // Acme Europe: Cy and Quinn by their account, Ann by X2 (ended, but no `active` filter); Hal
    // (Globex Labs) and Ed (Globex) are linked both ways and count once.
    expect(membersOf(three)).toEqual(sorted('Acme Europe', 'Globex'));
    expect(membersOf(two)).toEqual(sorted('Acme Corp', 'Initech'));
    expect(membersOf(one)).toEqual(['Globex Labs']);
    expect(membersOf(salesTitles)).toEqual(sorted('Acme Corp', 'Acme Europe', 'Globex'));
  });

  it('filters by relation role (case-insensitive) and by active', () => {
    expect(membersOf(champions)).toEqual(sorted('Acme Corp', 'Globex', 'Initech'));
    expect(membersOf(activeChampions)).toEqual(sorted('Acme Corp', 'Globex'));
    expect(membersOf(inactive)).toEqual(sorted('Acme Europe', 'Globex', 'Initech'));
  });
});

describe('campaigns and lists', () => {
  const responded = person('camp-responded', { campaigns: { status: ['responded'] } });
  const respondedWebinar = person('camp-responded-webinar', {
    campaigns: { status: ['Responded'], where: { attribute: 'name', op: 'eq', value: 'Spring Webinar' } },
  });
  const sent = person('camp-sent', { campaigns: { status: ['SENT'] } });
  const events = person('camp-type', { campaigns: { where: { attribute: 'type', op: 'eq', value: 'Event' } } });
  const two = person('camp-count-gte-2', { campaigns: { count: { gte: 2 } } });
  const none = person('camp-count-eq-0', { campaigns: { count: { eq: 0 } } });
  const newsletter = person('list-name', { lists: { where: { attribute: 'name', op: 'eq', value: 'Newsletter' } } });
  const recent = person('list-added-within', {
    lists: { where: { attribute: 'addedAt', op: 'within', value: '30d' } },
  });
  const unknownAdded = person('list-added-notexists', { lists: { where: { attribute: 'addedAt', op: 'notExists' } } });
  const onAnyList = person('list-any', { lists: {} });
  const onNoList = person('list-none', { not: { lists: {} } });

  it('filters campaign memberships by status, case-insensitively', () => {
    expect(membersOf(responded)).toEqual(sorted(ANN, CY));
    expect(membersOf(sent)).toEqual(sorted(ANN, BO));
    expect(membersOf(respondedWebinar)).toEqual([ANN]);
  });

  it('reads the campaign and counts memberships', () => {
    expect(membersOf(events)).toEqual(sorted(ANN, CY));
    expect(membersOf(two)).toEqual([ANN]);
    expect(membersOf(none)).toEqual(allPersonsBut(ANN, BO, CY));
  });

  it("reads the list's name and the membership's addedAt (30 days ago exactly is within 30d)", () => {
    expect(membersOf(newsletter)).toEqual(sorted(ANN, BO));
    expect(membersOf(recent)).toEqual([ANN]);
    expect(membersOf(unknownAdded)).toEqual([CY]);
  });

  it('an empty lists relation means "on any list"; not of it, "on none"', () => {
    expect(membersOf(onAnyList)).toEqual(sorted(ANN, BO, CY));
    expect(membersOf(onNoList)).toEqual(allPersonsBut(ANN, BO, CY));
  });
});

describe('events', () => {
  const opened30 = person('ev-opened-30d', { events: { type: 'email.opened', within: '30d' } });
  const emailed30 = person('ev-types-30d', { events: { type: ['email.opened', 'email.clicked'], within: '30d' } });
  const pricing = person('ev-pricing', {
    events: { type: 'web.visit', where: { attribute: 'url', op: 'contains', value: 'PRICING' } },
  });
  const pricing30 = person('ev-pricing-30d', {
    events: { type: 'web.visit', within: '30d', where: { attribute: 'url', op: 'contains', value: 'pricing' } },
  });
  const threeOpens = person('ev-count-gte-3', { events: { type: 'email.opened', within: '30d', count: { gte: 3 } } });
  const atMostOne = person('ev-count-lte-1', { events: { type: 'email.opened', count: { lte: 1 } } });
  const exactlyOne = person('ev-count-eq-1', { events: { type: 'email.opened', count: { eq: 1 } } });
  const oneOrTwo = person('ev-count-range', { events: { type: 'email.opened', count: { gte: 1, lte: 2 } } });
  const noVisit = person('ev-no-visit-30d', { events: { type: 'web.visit', within: '30d', count: { eq: 0 } } });
  const campaignTwice = person('ev-campaign-count', {
    events: {
      type: 'email.opened',
      where: { attribute: 'campaign', op: 'eq', value: 'June Newsletter' },
      count: { eq: 2 },
    },
  });
  const openedAfter = person('ev-occurred-after', {
    events: { type: 'email.opened', where: { attribute: 'occurredAt', op: 'after', value: EXACTLY_30_DAYS_AGO } },
  });
  const fourWeeks = person('ev-within-4w', { events: { type: 'email.opened', within: '4w' } });
  const contradictory = person('ev-count-contradictory', {
    events: { type: 'email.opened', count: { eq: 0, gte: 1 } },
  });

  it('within 30d includes an event exactly 30 days old, not one a second older, nor one in the future', () => {
    expect(membersOf(opened30)).toEqual(sorted(KAI, OLI));
    expect(membersOf(fourWeeks)).toEqual([OLI]);
  });

  it('matches any type of a list, and no other type', () => {
    expect(membersOf(emailed30)).toEqual(sorted(KAI, MAX, OLI));
  });

  it("filters on the event's attributes, with and without a window", () => {
    expect(membersOf(pricing)).toEqual(sorted(NED, PIA));
    expect(membersOf(pricing30)).toEqual([NED]);
    expect(membersOf(openedAfter)).toEqual(sorted(OLI, PIA));
  });

  it('counts events: gte, lte (including none), eq and a range', () => {
    expect(membersOf(threeOpens)).toEqual([OLI]);
    expect(membersOf(atMostOne)).toEqual(allPersonsBut(OLI));
    expect(membersOf(exactlyOne)).toEqual(sorted(KAI, LEA, PIA));
    expect(membersOf(oneOrTwo)).toEqual(sorted(KAI, LEA, PIA));
    expect(membersOf(campaignTwice)).toEqual([OLI]);
  });

  it('a count no number satisfies (eq 0 and gte 1) selects nobody', () => {
    expect(membersOf(contradictory)).toEqual([]);
  });

  it('count eq 0 means the event did not happen in the window', () => {
    // PIA's pricing visit is 40 days old.
    expect(membersOf(noVisit)).toEqual(allPersonsBut(NED));
  });
});

describe('segment references', () => {
  // Named so that alphabetical order would evaluate the referring segments first.
  const vp = person('z-vp-titles', { attribute: 'jobTitle', op: 'startsWith', value: 'vp' });
  const vpOptedOut = person('a-vp-opted-out', {
    all: [{ inSegment: 'z-vp-titles' }, { attribute: 'emailOptOut', op: 'eq', value: true }],
  });
  const scoredNotVp = person('a-scored-not-vp', {
    all: [{ notInSegment: 'z-vp-titles' }, { attribute: 'score', op: 'exists' }],
  });
  const notVp = person('a-not-vp', { notInSegment: 'z-vp-titles' });
  const big = account('z-big-accounts', { attribute: 'annualRevenue', op: 'gte', value: 1000000 });
  const atBig = person('a-at-big-account', { account: { inSegment: 'z-big-accounts' } });

  it('inSegment reads the referenced segment, evaluated before the referring one', () => {
    expect(membersOf(vp)).toEqual(sorted(ANN, BO));
    expect(membersOf(vpOptedOut)).toEqual([BO]);
  });

  it('notInSegment is its complement', () => {
    expect(membersOf(scoredNotVp)).toEqual(sorted(CY, DI, ED));
    expect(membersOf(notVp)).toEqual(allPersonsBut(ANN, BO));
  });

  it("reads an account segment through the person's account", () => {
    expect(membersOf(big)).toEqual(sorted('Acme Corp', 'Globex'));
    expect(membersOf(atBig)).toEqual(sorted(ANN, BO, DI, ED, GUS));
  });
});

describe('time zones', () => {
  it('evaluation does not depend on the database session time zone (dates are UTC calendar days)', async () => {
    // UTC+14: at NOW it is already 2026-06-16 there, so a local reading of "today" or of a date's
    // midnight moves the relation and date boundaries above.
    const faraway = new Pool({
      connectionString: await testDatabaseUrl(),
      options: '-c TimeZone=Pacific/Kiritimati',
      max: 1,
    });
    try {
      for (const segment of await readAppliedSegments(faraway, sandbox)) {
        await evaluateSegment(faraway, sandbox, segment, NOW);
      }
    } finally {
      await faraway.end();
    }
    const changed: string[] = [];
    for (const segment of segments) {
      const now = await memberLabels(workspace.pool, sandbox, segment.name);
      if (JSON.stringify(now) !== JSON.stringify(membersOf(segment.name)))
        changed.push(`${segment.name}: ${JSON.stringify(membersOf(segment.name))} -> ${JSON.stringify(now)}`);
    }
    expect(changed).toEqual([]);
  });
});
