// Time units and the timestamp formats of the vendors' exports (all UTC, whole seconds).

/** Milliseconds in a second: every time is a `Date.getTime()` value. */
export const SECOND = 1000;
/** Milliseconds in a minute. */
export const MINUTE = 60 * SECOND;
/** Milliseconds in an hour. */
export const HOUR = 60 * MINUTE;
/** Milliseconds in a day (UTC days have no DST changes). */
export const DAY = 24 * HOUR;

/** Drops milliseconds: exports carry whole seconds, and equal inputs must give equal text. */
export const toSecond = (ms: number): number => Math.floor(ms / SECOND) * SECOND;
/** Salesforce datetime: `2026-10-31T14:05:09.000Z`. */
export const sfDateTime = (ms: number): string => new Date(toSecond(ms)).toISOString();
/** Salesforce date: `2026-10-31`. */
export const sfDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** Marketo bulk extract datetime: `2026-10-31T14:05:09Z`. */
export const mktoDateTime = (ms: number): string => `${new Date(toSecond(ms)).toISOString().slice(0, 19)}Z`;
