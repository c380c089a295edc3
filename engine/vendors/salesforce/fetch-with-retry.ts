import { nextBackoff, type RetryBackoff } from '../retry-backoff';
import { SalesforceError } from './salesforce-error';

/** How transient failures (HTTP 5xx, network errors, timeouts) are retried: the shared back-off. */
export interface RetryPolicy extends RetryBackoff {
  /** Longest a single attempt may take before it counts as a network failure. */
  timeoutMs: number;
}

/** Four attempts over about 3.5 s: enough for a Salesforce blip, short enough to fail a dead org fast. */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, retryBaseMs: 500, timeoutMs: 60_000 };

/**
 * `fetchImpl(url, init)`, retried with exponential backoff while the answer is a 5xx or no answer
 * comes. Returns the last answer (a 5xx included, for the caller to report with its body); throws a
 * `SalesforceError` `NETWORK_ERROR` when the last attempt got no answer. `what` names the call for
 * that message, e.g. `query of Contact`; it never holds the URL's query or any header.
 */
export async function fetchWithRetry(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  policy: RetryPolicy,
  what: string,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const delayMs = nextBackoff(attempt, policy);
    const last = delayMs === undefined;
    try {
      const response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(policy.timeoutMs) });
      if (response.status < 500 || last) return response;
      // Drain the body so the connection goes back to the pool before the retry.
      await response.arrayBuffer().catch(() => undefined);
    } catch (error) {
      if (last) {
        throw new SalesforceError(
          'NETWORK_ERROR',
          undefined,
          `Salesforce ${what} failed: no answer after ${policy.maxAttempts} attempts (${describeNetworkError(error)}). ` +
            'Check the instance URL and that the org is reachable from here.',
          { cause: error },
        );
      }
    }
    await sleep(delayMs ?? 0);
  }
}

/** The short reason of a fetch failure: undici hides it in `cause` ("ECONNREFUSED", "other side closed"). */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return error.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
