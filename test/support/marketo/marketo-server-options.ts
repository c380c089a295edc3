import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a scripted fault answers instead of the real thing. Marketo codes are sent as Marketo does
 * (HTTP 200, `success: false`); `HTTP 5xx` answers a bare status; `drop` closes the connection
 * without an answer (a network error for the client).
 */
export type FaultAnswer =
  | '601'
  | '602'
  | '604'
  | '606'
  | '607'
  | '615'
  | '1029 queue'
  | '1029 quota'
  | 'HTTP 500'
  | 'HTTP 503'
  | 'drop';

/** A failure the server answers on the `call`-th request it receives (1-based, counted per `on`). */
export interface Fault {
  call: number;
  answer: FaultAnswer;
  /** Answer this on every call from `call` on (a quota that stays reached). */
  repeat?: boolean;
  /** Which calls are counted: API calls (REST and bulk, the default) or identity (token) calls. */
  on?: 'api' | 'identity';
}

/** The limits the server enforces, as Marketo does for one instance. */
export interface ServerLimits {
  /** More than this many API calls in flight are answered 615; default 10. */
  maxConcurrency: number;
  /** More than this many accepted API calls in `windowMs` are answered 606; default 100. */
  callsPerWindow: number;
  /** Length of the sliding rate window; default 20 000 ms, compressed in tests. */
  windowMs: number;
}

/** How the fake Marketo behaves; everything is optional. */
export interface MarketoServerOptions {
  /** Credentials the identity endpoint accepts; default `roster-test-client` / `roster-test-secret-5f9c2a`. */
  clientId?: string;
  clientSecret?: string;
  limits?: Partial<ServerLimits>;
  /** Delay before answering each API call, so that calls overlap; default 0. */
  latencyMs?: number;
  /** `expires_in` of a new token; default 3600. */
  tokenLifetimeSeconds?: number;
  /** A token is answered 602 (expired) once it has served this many API calls; default unlimited. */
  tokenCallsPerToken?: number;
  faults?: Fault[];
  /** Status polls answered Queued/Processing before a job reports its outcome; default 2. */
  statusPollsBeforeDone?: number;
  /** The outcome jobs report after their polls; default `Completed`. */
  jobOutcome?: 'Completed' | 'Failed' | 'Cancelled';
  /** Accepted API calls after which every call is answered 607 (daily quota reached); default unlimited. */
  dailyQuota?: number;
  /**
   * Seed the lead database with the recorded leads and lists (see `FakeLeadDatabase`); default true.
   * Off, it starts empty.
   */
  seedFixtureLeads?: boolean;
  /** When set, `/rest/v1/lists.json` serves `list_reponse_full.json` in pages of this size (with `moreResult`). */
  listPageSize?: number;
}

/** One request as the server received it, for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** What the server answered: `200`, or the Marketo code / HTTP status of an error answer. */
  answered: string;
}

/** The defaults of `MarketoServerOptions`, resolved. */
export const SERVER_DEFAULTS = {
  clientId: 'roster-test-client',
  clientSecret: 'roster-test-secret-5f9c2a',
  limits: { maxConcurrency: 10, callsPerWindow: 100, windowMs: 20_000 } satisfies ServerLimits,
  latencyMs: 0,
  tokenLifetimeSeconds: 3600,
  statusPollsBeforeDone: 2,
  jobOutcome: 'Completed',
} as const;
