import { parseExpression } from 'cron-parser';

/** True when `cron` (5 fields, UTC) fires in the minute that starts at `minute`. */
export function firesInMinute(cron: string, minute: Date): boolean {
  try {
    const start = new Date(Math.floor(minute.getTime() / 60_000) * 60_000);
    const next = parseExpression(cron, { utc: true, currentDate: new Date(start.getTime() - 1000) })
      .next()
      .toDate();
    return next.getTime() === start.getTime();
  } catch {
    return false; // validated at apply time; an unparsable schedule simply never fires
  }
}
