import { ACTIVITY, type Activity, type ActivityLog } from './activity-log';
import type { Rng } from './random';
import { SECOND } from './time';
import { SITE } from './website';

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

/**
 * A Change Score activity a few seconds or minutes after each scored activity, as Marketo's trigger
 * campaigns log them; Old/New Value are filled in by {@link finishActivities}.
 */
export function addScoreChanges(rng: Rng, log: ActivityLog): void {
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
export function finishActivities(log: ActivityLog): Activity[] {
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
