import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { SecretRedactor } from '../secret-redactor';
import { AccessTokenSource, type IssuedToken } from './access-token-source';
import type { CallGate } from './call-limiter';
import { type Attempt, attemptDownload, attemptText, type HttpRequest, type TextAnswer } from './fetch-attempt';
import { firstMarketoError, type MarketoAnswer, parseMarketoAnswer } from './marketo-answer';
import { MarketoError } from './marketo-error';
import { type CallFailure, decideRetry, type RetryTiming } from './retry-policy';

/** Query parameters of a call; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** Everything the transport needs, with defaults already applied (see `resolveClientSettings`). */
export interface TransportSettings {
  /** REST endpoint without a trailing `/rest` or slash, e.g. `https://123-ABC-456.mktorest.com`. */
  endpoint: string;
  /** Identity endpoint without a trailing slash, e.g. `https://123-ABC-456.mktorest.com/identity`. */
  identityEndpoint: string;
  clientId: string;
  clientSecret: string;
  fetch: typeof fetch;
  limiter: CallGate;
  timing: RetryTiming;
  requestTimeoutMs: number;
  tokenRenewMarginMs: number;
  /** Receives one line per retry and token renewal, already scrubbed of secrets. */
  log: (line: string) => void;
  /** Runs before each call starts (not before its retries); may refuse it by throwing (a daily quota). */
  beforeCall?: () => Promise<void>;
}

/**
 * Marketo calls with everything around them: the access token (renewed before expiry and on 601 or
 * 602, retrying the call once), the call limiter, retries of 606/615/5xx/network failures with
 * back-off, and errors that say what to do. Every text that leaves it is scrubbed of secrets.
 */
export class MarketoTransport {
  private readonly redactor: SecretRedactor;
  private readonly tokens: AccessTokenSource;

  constructor(private readonly settings: TransportSettings) {
    this.redactor = new SecretRedactor(settings.clientSecret);
    this.tokens = new AccessTokenSource(() => this.issueToken(), settings.tokenRenewMarginMs);
  }

  /**
   * Calls `path` (e.g. `/rest/v1/lists.json`) and returns its answer once `success` is true. `body`
   * is sent as JSON; `form` as `application/x-www-form-urlencoded` (Marketo's `_method=GET` POST,
   * for queries too long for a URL). Give one or neither.
   */
  callJson<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { query?: Query; body?: unknown; form?: Query } = {},
  ): Promise<MarketoAnswer<T>> {
    const url = this.urlOf(this.settings.endpoint, path, options.query);
    const { body, contentType } = encodeBody(options);
    return this.counted(() =>
      this.withToken(`${method} ${path}`, async (token) => {
        const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
        if (contentType !== undefined) headers['content-type'] = contentType;
        const attempt = await attemptText(this.settings, { method, url, headers, body });
        return attempt.ok ? answerOutcome<T>(attempt.value) : attempt;
      }),
    );
  }

  /** Downloads `path` (a bulk export file) as a stream; error answers are retried like any call. */
  download(path: string): Promise<Readable> {
    const url = this.urlOf(this.settings.endpoint, path);
    return this.counted(() =>
      this.withToken(`GET ${path}`, async (token): Promise<Attempt<Readable>> => {
        const request: HttpRequest = { method: 'GET', url, headers: { authorization: `Bearer ${token}` } };
        const attempt = await attemptDownload(this.settings, request);
        if (!attempt.ok) return attempt;
        if ('file' in attempt.value) return { ok: true, value: attempt.value.file };
        const outcome = answerOutcome(attempt.value.answer);
        return outcome.ok ? badAnswer('a JSON answer where a file was expected', attempt.value.answer.text) : outcome;
      }),
    );
  }

  /** `send` after `beforeCall` let it start. */
  private async counted<T>(send: () => Promise<T>): Promise<T> {
    await this.settings.beforeCall?.();
    return send();
  }

  /** Requests an access token from the identity endpoint (the secret travels in the query). */
  private issueToken(): Promise<IssuedToken> {
    const { identityEndpoint, clientId, clientSecret } = this.settings;
    const query = { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret };
    const url = this.urlOf(identityEndpoint, '/oauth/token', query);
    return this.withRetries(`GET ${url.pathname} (access token)`, async () => {
      const attempt = await attemptText(this.settings, { method: 'GET', url, headers: { accept: 'application/json' } });
      if (!attempt.ok) return attempt;
      const token = tokenOutcome(attempt.value);
      if (token.ok) this.redactor.remember(token.value.accessToken);
      return token;
    });
  }

  /** `withRetries` for calls that carry the access token, renewing it once when Marketo refuses it. */
  private withToken<T>(operation: string, send: (token: string) => Promise<Attempt<T>>): Promise<T> {
    let token = '';
    return this.withRetries(
      operation,
      async () => {
        token = await this.tokens.get();
        return send(token);
      },
      () => this.tokens.invalidate(token),
    );
  }

  private async withRetries<T>(
    operation: string,
    send: () => Promise<Attempt<T>>,
    renewToken?: () => void,
  ): Promise<T> {
    const { timing, log } = this.settings;
    let failures = 0;
    let tokenRenewed = false;
    for (;;) {
      const attempt = await send();
      if (attempt.ok) return attempt.value;
      failures++;
      const action = decideRetry(attempt.failure, { failures, tokenRenewed: tokenRenewed || !renewToken }, timing);
      if (action.kind === 'fail') throw this.errorOf(operation, attempt.failure, action.advice);
      if (action.kind === 'renew-token') {
        // A token refusal is not a failure of the call itself: it does not use up an attempt.
        failures--;
        tokenRenewed = true;
        renewToken?.();
        log(
          this.redactor.scrub(
            `Marketo ${operation}: ${describe(attempt.failure)}; renewing the access token and retrying once`,
          ),
        );
        continue;
      }
      log(
        this.redactor.scrub(
          `Marketo ${operation}: ${action.reason}; retrying in ${action.delayMs} ms (attempt ${failures + 1} of ${timing.maxAttempts})`,
        ),
      );
      await sleep(action.delayMs);
    }
  }

  private errorOf(operation: string, failure: CallFailure, advice: string): MarketoError {
    const code =
      failure.kind === 'marketo' ? failure.code : failure.kind === 'http' ? String(failure.status) : 'NETWORK_ERROR';
    const message = this.redactor.scrub(`Marketo ${operation} failed (${describe(failure)}): ${advice}`);
    const cause = failure.kind === 'network' ? this.redactor.scrubError(failure.error) : undefined;
    return new MarketoError(code, message, {
      requestId: failure.kind === 'marketo' ? failure.requestId : undefined,
      cause,
    });
  }

  private urlOf(base: string, path: string, query: Query = {}): URL {
    const url = new URL(`${base}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url;
  }
}

/** The request body of a call and its content type: JSON for `body`, a form for `form`. */
function encodeBody(options: { body?: unknown; form?: Query }): { body?: string; contentType?: string } {
  if (options.form !== undefined) {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form)) {
      if (value !== undefined) form.set(name, String(value));
    }
    return { body: form.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  if (options.body === undefined) return {};
  return { body: JSON.stringify(options.body), contentType: 'application/json' };
}

/** A Marketo answer as an attempt: its result when `success` is true, else why not. */
function answerOutcome<T>(answer: TextAnswer): Attempt<MarketoAnswer<T>> {
  const parsed = parseMarketoAnswer(answer.text);
  if (parsed?.success) return { ok: true, value: parsed as MarketoAnswer<T> };
  if (parsed)
    return { ok: false, failure: { kind: 'marketo', ...firstMarketoError(parsed), requestId: parsed.requestId } };
  if (answer.status >= 400) return { ok: false, failure: { kind: 'http', status: answer.status, body: answer.text } };
  return badAnswer('an answer that is not Marketo JSON', answer.text);
}

/** The identity endpoint's answer as an attempt; it speaks OAuth, not Marketo's envelope. */
function tokenOutcome(answer: TextAnswer): Attempt<IssuedToken> {
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(answer.text);
  } catch {
    // Not JSON (a gateway's error page): judged by the status below.
  }
  if (answer.status === 200 && typeof body.access_token === 'string') {
    return { ok: true, value: { accessToken: body.access_token, expiresInSeconds: Number(body.expires_in ?? 0) } };
  }
  const said =
    body.error === undefined ? answer.text : `${String(body.error)}: ${String(body.error_description ?? '')}`;
  if (answer.status === 200) return badAnswer('a token answer without access_token', answer.text);
  return { ok: false, failure: { kind: 'http', status: answer.status, body: said } };
}

function badAnswer(what: string, text: string): { ok: false; failure: CallFailure } {
  return { ok: false, failure: { kind: 'marketo', code: 'BAD_ANSWER', message: `${what}: ${text.slice(0, 200)}` } };
}

/** A failure in a few words, for messages and logs (scrubbed by the caller). */
function describe(failure: CallFailure): string {
  if (failure.kind === 'marketo') return `${failure.code} ${failure.message}`.trim();
  if (failure.kind === 'http') return `HTTP ${failure.status}: ${failure.body.trim().slice(0, 200)}`;
  const error = failure.error as { message?: unknown; cause?: { message?: unknown } };
  const detail = error.cause?.message === undefined ? '' : ` (${String(error.cause.message)})`;
  return `no answer: ${String(error.message ?? failure.error)}${detail}`;
}
