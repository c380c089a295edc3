import { ACTIVITY, type Activity, ActivityLog, type Attributes } from './activity-log';
import { ACTIVITY_WINDOW_DAYS, type Context } from './context';
import { addUnsubscribes, planBlasts, sendBlast } from './email-blasts';
import { addScoreChanges, finishActivities } from './lead-scoring';
import type { MarketoLead } from './marketo-leads';
import { Rng } from './random';
import type { Campaign } from './salesforce-model';
import { DAY, sfDate } from './time';
import { addHotLeadVisits, addWebSessions } from './web-activities';

/**
 * The activity log of the last {@link ACTIVITY_WINDOW_DAYS} days. Score changes come last because
 * they react to the activities logged before them.
 */
export function generateActivities(ctx: Context, leads: MarketoLead[], programs: Campaign[]): Activity[] {
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
