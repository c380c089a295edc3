import { nextBackoff, type RetryBackoff } from '../retry-backoff';
import { DAILY_QUOTA_ADVICE, MARKETO_CODES } from './marketo-error';

/** How one attempt at a call failed. */
export type CallFailure =
  /** Marketo answered with `success: false` (usually HTTP 200). */
  | { kind: 'marketo'; code: string; message: string; requestId?: string }
  /** An HTTP error status whose body is not a Marketo answer (a gateway's 503 page). */
  | { kind: 'http'; status: number; body: string }
  /** No answer: connection refused or reset, DNS failure, timeout. */
  | { kind: 'network'; error: unknown };

/**
 * Waits and bounds of the retry loop; tests shorten the waits. `maxAttempts` and `retryBaseMs`
 * are the back-off every vendor client shares (`RetryBackoff`); the fixed waits are Marketo's.
 */
export interface RetryTiming extends RetryBackoff {
  /** Wait after a 606 (rate limit), in ms; Marketo's window is 20 s. */
  rateLimitWaitMs: number;
  /** Wait after a 1029 "too many jobs in queue", in ms: queued jobs take minutes, not seconds. */
  exportQueueWaitMs: number;
}

/** What the retry loop does next. */
export type RetryAction =
  | { kind: 'renew-token' }
  | { kind: 'retry'; delayMs: number; reason: string }
  | { kind: 'fail'; advice: string };

/** Marketo codes documented as transient: the same call may succeed later. */
const TRANSIENT_CODES = new Set<string>([
  MARKETO_CODES.requestTimedOut,
  MARKETO_CODES.temporarilyUnavailable,
  '611',
  '713',
]);

/** The bulk export allowance (500 MB a day by default) is separate from the call quota. */
const EXPORT_QUOTA_ADVICE =
  'daily export quota reached (500 MB of extract files by default); resumes after the quota resets at midnight America/Chicago. Run the ingest again after then, extract shorter windows or fewer fields, or buy a larger export allowance';

/** What to tell the user for codes that stop the call at once. */
const ADVICE: Record<string, string> = {
  [MARKETO_CODES.dailyQuotaReached]: DAILY_QUOTA_ADVICE,
  '603': "access denied: give the API user's role the Read-Only Lead and Read-Only Activity permissions",
  '1035': 'this filter type is not enabled for the subscription; ask Marketo support to enable it or use createdAt',
};

/** Advice once the retries of a limit answer are used up. */
const LIMIT_ADVICE = {
  rate: 'lower callsPer20Seconds: other integrations share the instance limit of 100 calls per 20 s',
  concurrency: 'lower maxConcurrency: other integrations share the instance limit of 10 concurrent calls',
  queue: 'too many export jobs are queued on this instance (Marketo allows 10): let other jobs finish, then run again',
};

/** Why a second token refusal is final: a fresh token being refused means the credentials are wrong. */
const TOKEN_REFUSED_ADVICE =
  'a freshly issued access token was refused too: check that the client id and secret belong to this instance and that the API user is active';

/**
 * The next step after `failure`, the `failures`-th failed attempt of a call. `tokenRenewed` says
 * whether this call already renewed its access token: a second token refusal is not retried.
 */
export function decideRetry(
  failure: CallFailure,
  { failures, tokenRenewed }: { failures: number; tokenRenewed: boolean },
  timing: RetryTiming,
): RetryAction {
  if (failure.kind === 'network') return backOff(failures, timing, { reason: 'no answer (network error)' });
  if (failure.kind === 'http') {
    if (failure.status >= 500) return backOff(failures, timing, { reason: `HTTP ${failure.status}` });
    return { kind: 'fail', advice: httpAdvice(failure.status) };
  }
  const { code } = failure;
  if (code === MARKETO_CODES.accessTokenInvalid || code === MARKETO_CODES.accessTokenExpired) {
    return tokenRenewed ? { kind: 'fail', advice: TOKEN_REFUSED_ADVICE } : { kind: 'renew-token' };
  }
  if (code === MARKETO_CODES.rateLimited) {
    return waitThenRetry(failures, timing, {
      delayMs: timing.rateLimitWaitMs,
      reason: 'rate limit (606)',
      advice: LIMIT_ADVICE.rate,
    });
  }
  if (code === MARKETO_CODES.concurrencyLimited) {
    return backOff(failures, timing, { reason: 'concurrency limit (615)', advice: LIMIT_ADVICE.concurrency });
  }
  if (code === MARKETO_CODES.exportQueueOrQuota) {
    // 1029 is either a full export queue (wait, retry) or a used-up export quota (stop until it
    // resets); only the message tells them apart.
    if (/quota/i.test(failure.message)) return { kind: 'fail', advice: EXPORT_QUOTA_ADVICE };
    const queue = { delayMs: timing.exportQueueWaitMs, reason: 'export queue full (1029)', advice: LIMIT_ADVICE.queue };
    return waitThenRetry(failures, timing, queue);
  }
  if (TRANSIENT_CODES.has(code)) return backOff(failures, timing, { reason: `transient error ${code}` });
  return {
    kind: 'fail',
    advice:
      ADVICE[code] ?? "Marketo's message says what is wrong; quote the requestId to Marketo support if it persists",
  };
}

/** How a retry is announced, and what to advise once attempts run out. */
interface RetryNote {
  reason: string;
  advice?: string;
}

/** Retry after a fixed wait (the limit's own period), while attempts remain. */
function waitThenRetry(failures: number, timing: RetryTiming, note: RetryNote & { delayMs: number }): RetryAction {
  if (failures >= timing.maxAttempts) return { kind: 'fail', advice: exhausted(failures, note.advice) };
  return { kind: 'retry', delayMs: note.delayMs, reason: note.reason };
}

/** Retry after an exponential back-off, while attempts remain. */
function backOff(failures: number, timing: RetryTiming, note: RetryNote): RetryAction {
  const delayMs = nextBackoff(failures, timing);
  if (delayMs === undefined) return { kind: 'fail', advice: exhausted(failures, note.advice) };
  return { kind: 'retry', delayMs, reason: note.reason };
}

function exhausted(failures: number, advice = 'Marketo may be down; try again later'): string {
  return `gave up after ${failures} attempts; ${advice}`;
}

function httpAdvice(status: number): string {
  if (status === 413) return 'the request body is over 1 MB: request fewer fields';
  if (status === 414) return 'the URL is over 8 KB: request fewer fields or ids';
  if (status === 401 || status === 403)
    return 'the credentials were refused: check the client id and secret (Admin > LaunchPoint > View Details)';
  if (status === 404)
    return 'check the endpoint: it is the REST endpoint of Admin > Web Services, e.g. https://123-ABC-456.mktorest.com';
  return 'an HTTP status Marketo does not document: check the endpoint, then try again later';
}
