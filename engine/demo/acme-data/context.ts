import type { AcmeDataOptions } from './acme-data-options';
import { toSecond } from './time';

/** Marketo activities cover this many days before `now`. */
export const ACTIVITY_WINDOW_DAYS = 90;

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

/** What every section of the generator reads: the seed, `now` (whole seconds) and the scaled row counts. */
export interface Context {
  seed: number;
  now: number;
  counts: Counts;
}

/** Validates the options and applies their defaults. */
export function makeContext(options: AcmeDataOptions): Context {
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
