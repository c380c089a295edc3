/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds (`120`) or an HTTP-date (a date
 * in the past means now). Undefined when absent or unreadable, so the worker's backoff applies.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
