import { ACTIVITY_WINDOW_DAYS, type Context } from './context';
import type { MarketoLead } from './marketo-leads';
import type { Rng } from './random';
import { DAY, HOUR } from './time';

/**
 * The "hot" leads behind the time-window segments: subscribed, known for more than 35 days,
 * preferably contacts of accounts with an open deal (buying committees researching the product).
 * Also dates the unsubscriptions that fall inside the activity window, from the same stream.
 */
export function chooseHotLeads(ctx: Context, rng: Rng, leads: MarketoLead[]): void {
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
