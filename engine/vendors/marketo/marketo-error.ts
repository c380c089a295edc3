/**
 * A Marketo call that failed in a way the caller has to act on: credentials refused, daily quota
 * reached, an export job that failed, an instance still unreachable after retries. The message says
 * what failed and what to do. It never holds the client secret or an access token: every message
 * passes through `SecretRedactor.scrub` before a `MarketoError` is built (see `MarketoTransport`).
 */
export class MarketoError extends Error {
  override readonly name = 'MarketoError';
  constructor(
    /**
     * Marketo's error code (`'601'`, `'606'`, `'607'`, `'1029'`), the HTTP status of a non-JSON
     * answer (`'503'`), or one of ours: `NETWORK_ERROR`, `BAD_ANSWER`, `EXPORT_FAILED`,
     * `EXPORT_CANCELLED`, `EXPORT_TIMEOUT`, `INVALID_OPTIONS`. Marketo's codes never overlap HTTP
     * statuses (they start at 600), so one field is enough.
     */
    readonly code: string,
    message: string,
    options?: {
      /** Marketo's `requestId` of the failing answer, which Marketo support asks for. */
      requestId?: string;
      /** The original error, already scrubbed of secrets. */
      cause?: unknown;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.requestId = options?.requestId;
  }

  /** Marketo's `requestId` of the failing answer, when there was one. */
  readonly requestId: string | undefined;
}

/** Marketo error codes the client reacts to; any other code fails the call with Marketo's message. */
export const MARKETO_CODES = {
  /** Access token invalid: renew the token and retry the call once. */
  accessTokenInvalid: '601',
  /** Access token expired: renew the token and retry the call once. */
  accessTokenExpired: '602',
  /** Request timed out on Marketo's side: retry with back-off. */
  requestTimedOut: '604',
  /** More than 100 calls in 20 s: wait out the window, then retry. */
  rateLimited: '606',
  /** Daily call quota reached: stop the run. */
  dailyQuotaReached: '607',
  /** API temporarily unavailable: retry with back-off. */
  temporarilyUnavailable: '608',
  /** More than 10 calls in flight: back off, then retry. */
  concurrencyLimited: '615',
  /** Too many export jobs in the queue (retry later), or the daily export quota is used up (stop). */
  exportQueueOrQuota: '1029',
} as const;

/** Why a quota error stops the run rather than waiting: the quota resets once a day. */
export const DAILY_QUOTA_ADVICE =
  'daily quota reached; resumes after the quota resets at midnight America/Chicago. Run the ingest again after then, or ask Marketo for a larger quota (Admin > Web Services shows the usage)';
