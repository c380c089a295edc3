import { SecretRedactor } from '../secret-redactor';
import { DEFAULT_RETRY, fetchWithRetry, type RetryPolicy } from './fetch-with-retry';
import { parseQueryPage } from './parse-query-page';
import { requestToken, type SalesforceSession, type TokenRequest } from './request-token';
import { apiError, apiErrorEntry, SalesforceError } from './salesforce-error';

/** How to reach and authenticate to one org. */
export interface SalesforceClientOptions {
  /** My Domain URL of the org, e.g. `https://acme.my.salesforce.com`. */
  instanceUrl: string;
  /** Base of the token endpoint; default `instanceUrl`. */
  loginUrl?: string;
  /** Consumer key of the connected app. */
  clientId: string;
  /** Consumer secret of the connected app, already resolved from its secret reference. */
  clientSecret: string;
  /** REST API version, e.g. `v60.0`. */
  apiVersion: string;
  /** Replaces the global `fetch` (tests, proxies). */
  fetch?: typeof fetch;
  /** Overrides parts of the retry policy for 5xx and network errors (tests shorten the delays). */
  retry?: Partial<RetryPolicy>;
}

/**
 * Reads an org through the REST query API with the OAuth client-credentials flow. A token is
 * requested on first use and kept; when the API answers 401 (session expired by inactivity), one
 * new token is requested and the call sent again. 5xx answers and network errors are retried with
 * backoff. Every error a read throws is a `SalesforceError`, without the secret or any token in its message.
 */
export class SalesforceClient {
  readonly #token: TokenRequest;
  readonly #apiVersion: string;
  readonly #fetch: typeof fetch;
  readonly #retry: RetryPolicy;
  /** Hides the secret and every token received from the errors a read throws. */
  readonly #redactor: SecretRedactor;
  #session: Promise<SalesforceSession> | undefined;
  /** The session `#session` resolved to; undefined while a token request is pending. */
  #current: SalesforceSession | undefined;

  constructor(options: SalesforceClientOptions) {
    for (const [name, value] of [
      ['instanceUrl', options.instanceUrl],
      ['loginUrl', options.loginUrl],
    ] as const) {
      const problem = value === undefined ? undefined : baseUrlProblem(value);
      if (problem) throw new Error(`Invalid Salesforce ${name} ${JSON.stringify(value)}: ${problem}.`);
    }
    if (!/^v\d+\.\d+$/.test(options.apiVersion)) {
      throw new Error(`Invalid Salesforce apiVersion ${JSON.stringify(options.apiVersion)}: write it as v60.0.`);
    }
    const { clientId, clientSecret } = options;
    this.#token = { loginUrl: options.loginUrl ?? options.instanceUrl, clientId, clientSecret };
    this.#apiVersion = options.apiVersion;
    this.#fetch = options.fetch ?? fetch;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#redactor = new SecretRedactor(clientSecret);
  }

  /**
   * The records of `soql` (see `buildQuery`), page after page through `nextRecordsUrl`, as
   * Salesforce's JSON (`attributes` and relationship objects included), in order. `origin` (the
   * object name) names the query in error messages. Turning records into read items, and the
   * watermark (`laterWatermark` on each record), are the caller's.
   * Throws a `SalesforceError` when the org refuses the query or cannot be reached.
   */
  async *queryRecords(soql: string, origin: string): AsyncGenerator<unknown, void, undefined> {
    const what = `query of ${origin}`;
    let path: string | undefined = `/services/data/${this.#apiVersion}/query?q=${encodeURIComponent(soql)}`;
    while (path !== undefined) {
      const page = parseQueryPage(await this.#getJson(path, what), what);
      yield* page.records;
      path = page.nextRecordsUrl;
    }
  }

  /** GET `path` on the instance with the session's token, renewing the session once on 401. */
  async #getJson(path: string, what: string): Promise<unknown> {
    try {
      let session = await this.#sessionReplacing(undefined);
      let response = await this.#send(session, path, what);
      if (response.status === 401) {
        await response.arrayBuffer();
        session = await this.#sessionReplacing(session);
        response = await this.#send(session, path, what);
      }
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw apiError(what, response.status, apiErrorEntry(response.status, body));
      return body;
    } catch (error) {
      throw this.#redactor.scrubInPlace(error);
    }
  }

  #send(session: SalesforceSession, path: string, what: string): Promise<Response> {
    const url = new URL(path, `${session.instanceUrl}/`);
    const init = { headers: { authorization: `Bearer ${session.accessToken}`, accept: 'application/json' } };
    return fetchWithRetry(this.#fetch, url.href, init, this.#retry, what);
  }

  /**
   * The session to use: the current one, or a new one when there is none or `stale` (refused with
   * 401) is still current. Concurrent readers share one token request; a failed one is not kept.
   */
  #sessionReplacing(stale: SalesforceSession | undefined): Promise<SalesforceSession> {
    const pending = this.#session;
    if (pending !== undefined && (stale === undefined || this.#current !== stale)) return pending;
    this.#current = undefined;
    const next = requestToken(this.#fetch, this.#token, this.#retry).then((session) => {
      this.#redactor.remember(session.accessToken);
      const problem = baseUrlProblem(session.instanceUrl);
      if (problem) {
        const told = `the token endpoint gave instance_url ${JSON.stringify(session.instanceUrl)}`;
        throw new SalesforceError('UNEXPECTED_RESPONSE', 200, `Salesforce token request failed: ${told}; ${problem}.`);
      }
      if (this.#session === next) this.#current = session;
      return session;
    });
    next.catch(() => {
      if (this.#session === next) this.#session = undefined;
    });
    this.#session = next;
    return next;
  }
}

/**
 * Why `value` cannot be a base URL, or undefined when it can: it must be absolute, and https so the
 * secret and tokens do not travel in clear; plain http is only accepted for this machine (tests).
 */
function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'write a full URL such as https://acme.my.salesforce.com';
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return undefined;
  return 'use https:// (the client secret and tokens would travel in clear)';
}
