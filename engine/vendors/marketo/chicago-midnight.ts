/** Marketo's day: the daily API quota resets at midnight US Central time, whatever the instance's region. */
export const MARKETO_QUOTA_TIME_ZONE = 'America/Chicago';

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: MARKETO_QUOTA_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The calendar day in Chicago at `instant` (ms since the epoch), as `YYYY-MM-DD`: the key of a daily quota. */
export function chicagoDay(instant: number): string {
  const { year, month, day } = partsAt(instant);
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * Milliseconds from `instant` to the next midnight in Chicago. Daylight saving time is taken into
 * account: the offset is read again at the candidate midnight, since a change (at 2 AM) can fall
 * between now and then, making that day 23 or 25 hours long.
 */
export function msUntilChicagoMidnight(instant: number): number {
  const { year, month, day } = partsAt(instant);
  // Midnight of the next day as if Chicago were UTC; Date.UTC rolls day 32 over into the next month.
  const nextMidnightWall = Date.UTC(year, month - 1, day + 1);
  let midnight = nextMidnightWall - offsetAt(instant);
  midnight = nextMidnightWall - offsetAt(midnight);
  return Math.max(1, midnight - instant);
}

/** How far Chicago's wall clock is ahead of UTC at `instant` (negative: -5 h or -6 h). */
function offsetAt(instant: number): number {
  const parts = partsAt(instant);
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

function partsAt(instant: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const parts: Record<string, number> = {};
  for (const part of wallClock.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
