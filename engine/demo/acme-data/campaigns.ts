import type { Context } from './context';
import { at } from './lists';
import { Rng } from './random';
import type { Campaign, CampaignType } from './salesforce-model';
import { makeStamps } from './stamps';
import { DAY, HOUR, sfDate } from './time';

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
export function generateCampaigns(ctx: Context): Campaign[] {
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

/** Status derived from the dates, so that it stays right whenever the data is regenerated. */
export function campaignStatus(campaign: Campaign, now: number): string {
  if (campaign.start > now) return 'Planned';
  return campaign.end + DAY > now ? 'In Progress' : 'Completed';
}
