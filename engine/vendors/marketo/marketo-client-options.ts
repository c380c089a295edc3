import type { BulkJobTiming } from './bulk-export-job';
import { type CallGate, CallLimiter, type CallLimits } from './call-limiter';
import { MarketoError } from './marketo-error';
import type { TransportSettings } from './marketo-transport';

/**
 * How to reach a Marketo instance and how hard to use it. Only the first four are required; the
 * rest default to Marketo's documented limits. The secret is a plain string here: callers resolve
 * `secret://` references before building the client.
 */
export interface MarketoClientOptions {
  /** REST endpoint (Admin > Web Services), e.g. `https://123-ABC-456.mktorest.com`; a trailing `/rest` is ignored. */
  endpoint: string;
  /** OAuth identity endpoint; default `{endpoint}/identity`. */
  identityEndpoint?: string;
  clientId: string;
  clientSecret: string;
  /** Most calls in flight at once; default 10, Marketo's limit per instance (shared with other integrations). */
  maxConcurrency?: number;
  /** Most calls per rate window; default 100, Marketo's limit per 20 s. */
  callsPer20Seconds?: number;
  /** Length of the rate window in ms; default 20 000. Only tests change it, to compress time. */
  rateWindowMs?: number;
  /** Pause between bulk job status polls; default 30 000 ms. */
  pollIntervalMs?: number;
  /** Longest wait for one bulk job to complete; default 2 hours. */
  jobTimeoutMs?: number;
  /** Wait after a 606 rate-limit answer; default 20 000 ms (one Marketo rate window). */
  rateLimitWaitMs?: number;
  /** First back-off after 615, 5xx or a network error, doubled per failure; default 1 000 ms. */
  retryBaseMs?: number;
  /** Wait after a 1029 "too many jobs in queue"; default 60 000 ms. */
  exportQueueWaitMs?: number;
  /** Most attempts of one call for retryable failures; default 5. */
  maxAttempts?: number;
  /** Longest wait for an answer (for downloads: for the headers); default 120 000 ms. */
  requestTimeoutMs?: number;
  /** Renew the access token this long before it expires; default 60 000 ms. */
  tokenRenewMarginMs?: number;
  /** The fetch to use; default Node's global fetch. */
  fetch?: typeof fetch;
  /** Receives one line per retry and token renewal (scrubbed of secrets); default: discarded. */
  log?: (line: string) => void;
  /**
   * Builds the gate every call passes, from the limits resolved above; default a `CallLimiter` of
   * this client alone. Roster passes the instance's limiter shared through PostgreSQL
   * (`instanceCallGate`), since the limits are the instance's, whoever calls it.
   */
  callGate?: (limits: CallLimits) => CallGate;
  /**
   * Runs before each REST call or download starts (once per call, not per retry): counts it against
   * the instance's daily quota, or refuses it by throwing.
   */
  beforeCall?: () => Promise<void>;
}

/** Positive-integer options and their defaults. */
const NUMERIC_DEFAULTS = {
  maxConcurrency: 10,
  callsPer20Seconds: 100,
  rateWindowMs: 20_000,
  pollIntervalMs: 30_000,
  jobTimeoutMs: 2 * 60 * 60 * 1000,
  rateLimitWaitMs: 20_000,
  retryBaseMs: 1_000,
  exportQueueWaitMs: 60_000,
  maxAttempts: 5,
  requestTimeoutMs: 120_000,
  tokenRenewMarginMs: 60_000,
} as const;

type NumericOption = keyof typeof NUMERIC_DEFAULTS;

/**
 * The options checked and completed with defaults. Every problem is reported at once, in one
 * `MarketoError` with code `INVALID_OPTIONS`; the secret's value is never part of it.
 */
export function resolveClientSettings(options: MarketoClientOptions): {
  transport: TransportSettings;
  jobs: BulkJobTiming;
} {
  const problems: string[] = [];
  const endpoint = checkUrl('endpoint', options.endpoint, problems)
    ?.replace(/\/+$/, '')
    .replace(/\/rest$/, '');
  const identity =
    options.identityEndpoint === undefined
      ? `${endpoint}/identity`
      : checkUrl('identityEndpoint', options.identityEndpoint, problems);
  if (!options.clientId) problems.push('clientId is empty');
  if (!options.clientSecret)
    problems.push('clientSecret is empty (resolve the secret:// reference before building the client)');
  const value = (name: NumericOption): number => {
    const given = options[name] ?? NUMERIC_DEFAULTS[name];
    if (!Number.isInteger(given) || given < 1) problems.push(`${name} must be a positive integer, got ${given}`);
    return given;
  };
  const numbers = Object.fromEntries(
    Object.keys(NUMERIC_DEFAULTS).map((name) => [name, value(name as NumericOption)]),
  ) as Record<NumericOption, number>;
  if (problems.length > 0 || endpoint === undefined || identity === undefined) {
    throw new MarketoError('INVALID_OPTIONS', `Marketo client options are invalid: ${problems.join('; ')}`);
  }
  const limits: CallLimits = {
    maxConcurrency: numbers.maxConcurrency,
    callsPerWindow: numbers.callsPer20Seconds,
    windowMs: numbers.rateWindowMs,
  };
  const limiter = options.callGate ? options.callGate(limits) : new CallLimiter(limits);
  const transport: TransportSettings = {
    endpoint,
    identityEndpoint: identity.replace(/\/+$/, ''),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    fetch: options.fetch ?? globalThis.fetch,
    limiter,
    timing: {
      rateLimitWaitMs: numbers.rateLimitWaitMs,
      retryBaseMs: numbers.retryBaseMs,
      exportQueueWaitMs: numbers.exportQueueWaitMs,
      maxAttempts: numbers.maxAttempts,
    },
    requestTimeoutMs: numbers.requestTimeoutMs,
    tokenRenewMarginMs: numbers.tokenRenewMarginMs,
    log: options.log ?? (() => {}),
    ...(options.beforeCall ? { beforeCall: options.beforeCall } : {}),
  };
  return { transport, jobs: { pollIntervalMs: numbers.pollIntervalMs, jobTimeoutMs: numbers.jobTimeoutMs } };
}

function checkUrl(name: string, text: string | undefined, problems: string[]): string | undefined {
  try {
    const url = new URL(text ?? '');
    if (url.protocol === 'https:' || url.protocol === 'http:') return `${url.origin}${url.pathname}`;
  } catch {
    // Reported below, with the expected form.
  }
  problems.push(`${name} must be an http(s) URL such as https://123-ABC-456.mktorest.com, got "${text ?? ''}"`);
  return undefined;
}
