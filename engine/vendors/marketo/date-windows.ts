import { MarketoError } from './marketo-error';

/** The longest date range Marketo accepts in one bulk extract filter. */
export const MAX_WINDOW_DAYS = 31;

const DAY_MS = 24 * 60 * 60 * 1000;

/** One bulk extract date filter, as Marketo takes it: ISO 8601 datetimes without milliseconds. */
export interface DateWindow {
  startAt: string;
  endAt: string;
}

/**
 * `[since, until)` cut into consecutive windows of `windowDays` (the last one shorter), as bulk
 * extract filters. Each window ends where the next starts: Marketo's `endAt` is a high-watermark,
 * so a record stamped exactly on a boundary may come in two windows. That is on purpose: a
 * duplicate is harmless to an upsert, a gap would lose the record.
 */
export function splitDateWindows(since: Date, until: Date, windowDays: number): DateWindow[] {
  checkWindowArguments(since, until, windowDays);
  const windows: DateWindow[] = [];
  const step = windowDays * DAY_MS;
  for (let start = floorToSecond(since); start < until.getTime(); start += step) {
    const end = Math.min(start + step, until.getTime());
    windows.push({ startAt: formatMarketoDate(start), endAt: formatMarketoDate(end) });
  }
  return windows;
}

/** `instant` as Marketo's filters expect it: `2026-01-31T00:00:00Z` (no milliseconds). */
export function formatMarketoDate(instant: number | Date): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function floorToSecond(instant: Date): number {
  return Math.floor(instant.getTime() / 1000) * 1000;
}

function checkWindowArguments(since: Date, until: Date, windowDays: number): void {
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) {
    throw new MarketoError('INVALID_OPTIONS', 'Marketo extract: since and until must be valid dates');
  }
  if (since.getTime() >= until.getTime()) {
    throw new MarketoError(
      'INVALID_OPTIONS',
      `Marketo extract: since (${since.toISOString()}) must be before until (${until.toISOString()})`,
    );
  }
  if (!Number.isFinite(windowDays) || windowDays <= 0 || windowDays > MAX_WINDOW_DAYS) {
    throw new MarketoError(
      'INVALID_OPTIONS',
      `Marketo extract: windowDays must be more than 0 and at most ${MAX_WINDOW_DAYS} (Marketo's limit for one date filter), got ${windowDays}`,
    );
  }
}
