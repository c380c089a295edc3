import type { CrmData } from './segment-sandbox';

/** The fixed evaluation time of the operator tests (noon UTC, so date and datetime boundaries differ). */
export const NOW = new Date('2026-06-15T12:00:00.000Z');

const SECOND = 1000;
const DAY = 24 * 60 * 60 * SECOND;

/** `NOW` minus `ms`, as ISO 8601. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

export const EXACTLY_30_DAYS_AGO = ago(30 * DAY);
export const A_SECOND_BEYOND_30_DAYS = ago(30 * DAY + SECOND);
export const IN_AN_HOUR = ago(-60 * 60 * SECOND);

/**
 * A small data set whose rows sit on the operators' boundaries. Persons are named by email (P17 has
 * none and is named by first name); what each row is for is noted next to it.
 */
export const BOUNDARY_DATA: CrmData = {
  accounts: [
    // annualRevenue 999999 / 1000000 / 1000001 / null / 50; industry case differs between A1 and A2.
    {
      id: 'A1',
      name: 'Acme Corp',
      domain: 'Acme.Example',
      industry: 'Technology',
      type: 'Customer',
      annualRevenue: 1000000,
      numberOfEmployees: 500,
      createdAt: '2020-01-01T00:00:00Z',
    },
    {
      id: 'A2',
      name: 'Acme Europe',
      domain: 'acme.eu',
      industry: 'technology',
      type: 'Prospect',
      annualRevenue: 999999,
      numberOfEmployees: 50,
      parent: 'A1',
    },
    { id: 'A3', name: 'Globex', domain: 'globex.example', industry: 'Finance', annualRevenue: 1000001 },
    { id: 'A4', name: 'Initech', domain: 'initech.example', type: 'Prospect', numberOfEmployees: 10 },
    {
      id: 'A5',
      name: 'Globex Labs',
      domain: 'labs.globex.example',
      industry: 'Research',
      annualRevenue: 50,
      parent: 'A3',
    },
  ],
  persons: [
    // jobTitle and country differ by case; score 10 / 19.5 / 20 / 20.5 / 30; createdAt on the 30-day boundary.
    {
      id: 'P01',
      email: 'Ann@Acme.Example',
      firstName: 'Ann',
      jobTitle: 'VP Sales',
      department: 'Sales',
      country: 'US',
      score: 10,
      emailOptOut: false,
      createdAt: EXACTLY_30_DAYS_AGO,
      lastContactDate: '2026-06-15',
      account: 'A1',
    },
    {
      id: 'P02',
      email: 'bo@acme.example',
      firstName: 'Bo',
      jobTitle: 'vp sales',
      country: 'us',
      score: 19.5,
      emailOptOut: true,
      createdAt: A_SECOND_BEYOND_30_DAYS,
      lastContactDate: '2026-05-16',
      account: 'A1',
    },
    {
      id: 'P03',
      email: 'cy@acme.eu',
      firstName: 'Cy',
      jobTitle: 'SVP Marketing',
      country: 'DE',
      score: 20,
      createdAt: IN_AN_HOUR,
      lastContactDate: '2026-05-15',
      account: 'A2',
    },
    {
      id: 'P04',
      email: 'di@globex.example',
      firstName: 'Di',
      jobTitle: 'Head of Sales',
      score: 20.5,
      emailOptOut: false,
      createdAt: '2026-01-01T00:00:00Z',
      lastContactDate: '2026-06-16',
      account: 'A3',
    },
    {
      id: 'P05',
      email: 'ed@globex.example',
      firstName: 'Ed',
      country: 'FR',
      score: 30,
      createdAt: '2025-12-31T23:59:59Z',
      account: 'A3',
    },
    // department becomes '' (set with SQL after loading: no loader writes an empty string).
    { id: 'P06', email: 'fay@initech.example', firstName: 'Fay', account: 'A4' },
    { id: 'P07', email: 'gus@globex.example', firstName: 'Gus', department: 'Sales', account: 'A3' },
    { id: 'P08', email: 'hal@labs.globex.example', firstName: 'Hal', account: 'A5' },
    { id: 'P09', email: 'ivy@initech.example', firstName: 'Ivy', account: 'A4' },
    { id: 'P10', email: 'jo@gmail.com', firstName: 'Jo' },
    // P11-P16: events.
    { id: 'P11', email: 'kai@events.example', firstName: 'Kai' },
    { id: 'P12', email: 'lea@events.example', firstName: 'Lea' },
    { id: 'P13', email: 'max@events.example', firstName: 'Max' },
    { id: 'P14', email: 'ned@events.example', firstName: 'Ned' },
    { id: 'P15', email: 'oli@events.example', firstName: 'Oli' },
    { id: 'P16', email: 'pia@events.example', firstName: 'Pia' },
    { id: 'P17', firstName: 'Quinn', account: 'A2' },
  ],
  opportunities: [
    // O1 open, closes today; O2 closed won 30 days ago (by date); O3 open in the future; O4 closed lost; O5 all unknown.
    {
      id: 'O1',
      name: 'Acme Renewal',
      amount: 50000,
      isClosed: false,
      isWon: false,
      closeDate: '2026-06-15',
      account: 'A1',
    },
    {
      id: 'O2',
      name: 'Acme Expansion',
      amount: 150000,
      isClosed: true,
      isWon: true,
      closeDate: '2026-05-16',
      account: 'A1',
    },
    { id: 'O3', name: 'Globex New', amount: 100000, isClosed: false, closeDate: '2026-07-01', account: 'A3' },
    {
      id: 'O4',
      name: 'Globex Lost',
      amount: 20000,
      isClosed: true,
      isWon: false,
      closeDate: '2026-05-15',
      account: 'A3',
    },
    { id: 'O5', name: 'Initech Pilot', account: 'A4' },
  ],
  roles: [
    { id: 'R1', opportunity: 'O1', person: 'P01', role: 'Decision Maker', isPrimary: true },
    { id: 'R2', opportunity: 'O2', person: 'P01', role: 'Economic Buyer', isPrimary: false },
    { id: 'R3', opportunity: 'O1', person: 'P02', role: 'decision maker', isPrimary: false },
    { id: 'R4', opportunity: 'O3', person: 'P04', role: 'Influencer', isPrimary: true },
    // No primary flag: counts as non-primary.
    { id: 'R5', opportunity: 'O4', person: 'P04', role: 'Decision Maker' },
    { id: 'R6', opportunity: 'O3', person: 'P05', role: 'Decision Maker', isPrimary: true },
    { id: 'R7', opportunity: 'O5', person: 'P09', role: 'Champion', isPrimary: false },
  ],
  relations: [
    // Active: X1 (open-ended), X4 (no flag, ends today), X6 (starts today). Inactive: X2 (ended yesterday), X3 (flag), X5 (starts tomorrow).
    {
      id: 'X1',
      account: 'A1',
      person: 'P01',
      role: 'Champion',
      isPrimary: true,
      isActive: true,
      startDate: '2025-01-01',
    },
    { id: 'X2', account: 'A2', person: 'P01', role: 'Advisor', isActive: true, endDate: '2026-06-14' },
    { id: 'X3', account: 'A3', person: 'P04', role: 'Decision Maker', isActive: false },
    { id: 'X4', account: 'A3', person: 'P05', role: 'champion', endDate: '2026-06-15' },
    { id: 'X5', account: 'A4', person: 'P09', role: 'Champion', isActive: true, startDate: '2026-06-16' },
    {
      id: 'X6',
      account: 'A5',
      person: 'P08',
      role: 'User',
      isActive: true,
      startDate: '2026-06-15',
      endDate: '2026-12-31',
    },
  ],
  campaigns: [
    { id: 'C1', name: 'Spring Webinar', type: 'Webinar', status: 'Active' },
    { id: 'C2', name: 'Trade Show', type: 'Event', status: 'Completed' },
  ],
  campaignMembers: [
    { id: 'M1', campaign: 'C1', person: 'P01', status: 'Responded' },
    { id: 'M2', campaign: 'C1', person: 'P02', status: 'sent' },
    { id: 'M3', campaign: 'C2', person: 'P03', status: 'RESPONDED' },
    { id: 'M4', campaign: 'C2', person: 'P01', status: 'Sent' },
  ],
  lists: [
    { id: 'L1', name: 'Newsletter' },
    { id: 'L2', name: 'VIP' },
  ],
  listMembers: [
    { id: 'LM1', list: 'L1', person: 'P01', addedAt: EXACTLY_30_DAYS_AGO },
    { id: 'LM2', list: 'L1', person: 'P02', addedAt: ago(31 * DAY) },
    { id: 'LM3', list: 'L2', person: 'P03' },
  ],
  events: [
    { id: 'E01', person: 'P11', type: 'email.opened', occurredAt: EXACTLY_30_DAYS_AGO },
    { id: 'E02', person: 'P12', type: 'email.opened', occurredAt: A_SECOND_BEYOND_30_DAYS },
    { id: 'E03', person: 'P13', type: 'email.clicked', occurredAt: ago(1 * DAY) },
    { id: 'E04', person: 'P14', type: 'web.visit', occurredAt: ago(2 * DAY), url: 'https://acme.example/Pricing' },
    { id: 'E05', person: 'P14', type: 'web.visit', occurredAt: ago(3 * DAY), url: 'https://acme.example/blog' },
    { id: 'E06', person: 'P15', type: 'email.opened', occurredAt: ago(1 * DAY), campaign: 'June Newsletter' },
    { id: 'E07', person: 'P15', type: 'email.opened', occurredAt: ago(2 * DAY), campaign: 'June Newsletter' },
    { id: 'E08', person: 'P15', type: 'email.opened', occurredAt: ago(3 * DAY) },
    // In the future: not "within" any window.
    { id: 'E09', person: 'P16', type: 'email.opened', occurredAt: IN_AN_HOUR },
    { id: 'E10', person: 'P16', type: 'web.visit', occurredAt: ago(40 * DAY), url: 'https://acme.example/pricing' },
  ],
};

/** Every person's label (email, or first name without one), sorted: the universe `not` is taken in. */
export const ALL_PERSONS = (BOUNDARY_DATA.persons ?? []).map((p) => String(p.email ?? p.firstName)).sort();

/** Every person except `excluded`, sorted. */
export function allPersonsBut(...excluded: string[]): string[] {
  return ALL_PERSONS.filter((p) => !excluded.includes(p));
}

export const ALL_ACCOUNTS = (BOUNDARY_DATA.accounts ?? []).map((a) => String(a.name)).sort();

export function allAccountsBut(...excluded: string[]): string[] {
  return ALL_ACCOUNTS.filter((a) => !excluded.includes(a));
}
