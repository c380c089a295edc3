import type { DestinationSpec } from '../../schemas/generated/resource-types';

/** The retry policy of a destination with the schema's defaults applied. */
export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export function retryPolicyOf(spec: DestinationSpec): RetryPolicy {
  return {
    maxAttempts: spec.retry?.maxAttempts ?? 8,
    initialDelayMs: (spec.retry?.initialDelaySeconds ?? 5) * 1000,
    maxDelayMs: (spec.retry?.maxDelaySeconds ?? 900) * 1000,
  };
}

/**
 * Wait before the next attempt after `attempts` failed ones: exponential backoff capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so that batches failing together do
 * not retry together. When the destination said when to come back (Retry-After, a quota reset),
 * that wins: coming back earlier would only be refused again.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.max(0, retryAfterMs);
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
