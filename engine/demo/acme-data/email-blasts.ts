import { ACTIVITY, type ActivityLog, type Attributes } from './activity-log';
import type { Context } from './context';
import { at } from './lists';
import type { MarketoLead } from './marketo-leads';
import type { Rng } from './random';
import type { Campaign } from './salesforce-model';
import { DAY, HOUR, MINUTE, SECOND } from './time';
import { addVisit } from './web-activities';
import { page, SITE } from './website';

/** One send of one email to a sample of the database, by a batch smart campaign. */
export interface Blast {
  at: number;
  emailId: number;
  /** Marketo names program emails `<Program>.<Email>`. */
  name: string;
  campaignId: number;
  runId: number;
}
/** Days (relative to now) of the email sends; the last four fall in the last two weeks. */
const BLAST_DAYS = [-88, -82, -76, -70, -64, -58, -52, -46, -40, -34, -28, -22, -13, -9, -6, -3];
/** Names of the program emails, in turn. */
const EMAIL_NAMES = ['Invitation', 'Reminder', 'Newsletter', 'Follow-up', 'Announcement', 'Last Chance'];

/** The email sends of the activity window, on {@link BLAST_DAYS} at mid-afternoon, a few minutes apart. */
export function planBlasts(ctx: Context, programs: Campaign[]): Blast[] {
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
export function sendBlast(ctx: Context, rng: Rng, log: ActivityLog, blast: Blast, leads: MarketoLead[]): void {
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

/** Unsubscribe activities, each attributed to the last email sent before it (the link people clicked). */
export function addUnsubscribes(log: ActivityLog, blasts: Blast[], leads: MarketoLead[]): void {
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
