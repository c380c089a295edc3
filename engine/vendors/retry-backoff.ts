/**
 * How a vendor client retries a call that failed transiently (5xx, no answer, a limit): the one
 * back-off schedule Marketo and Salesforce share. What counts as transient is each vendor's own.
 */
export interface RetryBackoff {
  /** Most attempts of one call (the first attempt included). */
  maxAttempts: number;
  /** First back-off; doubles per further failure, capped at a minute. */
  retryBaseMs: number;
}

/** Longest single back-off: past a minute, waiting longer tells the user nothing sooner. */
const MAX_BACKOFF_MS = 60_000;

/**
 * The wait before the attempt after `failures` failed ones, or undefined when the `maxAttempts`
 * are spent and the call should fail.
 */
export function nextBackoff(failures: number, backoff: RetryBackoff): number | undefined {
  if (failures >= backoff.maxAttempts) return undefined;
  return backoffDelay(failures, backoff.retryBaseMs);
}

/** Back-off before attempt `failures + 1`: doubling from `retryBaseMs`, capped at 60 s, with jitter. */
export function backoffDelay(failures: number, retryBaseMs: number): number {
  const exponential = Math.min(MAX_BACKOFF_MS, retryBaseMs * 2 ** Math.max(0, failures - 1));
  // Jitter spreads the retries of concurrent calls that failed together.
  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}
