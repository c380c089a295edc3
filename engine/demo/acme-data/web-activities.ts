import { ACTIVITY, type ActivityLog } from './activity-log';
import type { Context } from './context';
import type { MarketoLead } from './marketo-leads';
import { makePicker, type Rng, zipWeights } from './random';
import { DAY, MINUTE, SECOND } from './time';
import { page, REFERRERS, SITE, SITE_LINKS, WEB_PAGES, type WebPage } from './website';

/** A Munchkin-tracked page view; primaryAttributeValue is host and path, e.g. `acme.example/pricing`. */
export function addVisit(
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
export function addWebSessions(ctx: Context, rng: Rng, log: ActivityLog, leads: MarketoLead[]): void {
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
export function addHotLeadVisits(ctx: Context, rng: Rng, log: ActivityLog, leads: MarketoLead[]): void {
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
