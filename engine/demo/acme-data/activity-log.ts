import type { MarketoLead } from './marketo-leads';
import { toSecond } from './time';

/** Marketo's standard activity type ids (GET /rest/v1/activities/types.json of every instance). */
export const ACTIVITY = {
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

/** The JSON object of an activity's `attributes` column. */
export type Attributes = Record<string, string | number | boolean>;

/** One row of the activities extract, before GUIDs and Change Score values are assigned. */
export interface Activity {
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
export class ActivityLog {
  readonly items: Activity[] = [];

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  /** Logs `activity` at its time truncated to the second, unless it falls outside the window. */
  add(activity: Activity): void {
    if (activity.at < this.from || activity.at >= this.to) return;
    activity.at = toSecond(activity.at);
    this.items.push(activity);
  }
}
