import { fetchWithRetry, type RetryPolicy } from './fetch-with-retry';
import { SalesforceError } from './salesforce-error';

/** An API session: the bearer token and the instance to send it to. */
export interface SalesforceSession {
  accessToken: string;
  /** Base URL of the org's API, as the token endpoint names it (`https://acme.my.salesforce.com`). */
  instanceUrl: string;
}

/** The connected app to authenticate as (OAuth 2.0 client-credentials flow). */
export interface TokenRequest {
  /** Base of the token endpoint: the org's My Domain URL. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
}

/** What to do about each OAuth error of the token endpoint. */
const OAUTH_ADVICE: Record<string, string> = {
  invalid_client:
    "check the connected app's consumer key (clientId) and consumer secret (clientSecret), and that the secret reference resolves to the current secret",
  invalid_client_id: "check the connected app's consumer key (clientId)",
  invalid_grant:
    "enable the client credentials flow on the connected app with a run-as user, and use the org's My Domain URL as loginUrl (login.salesforce.com does not accept this flow)",
  unsupported_grant_type: 'enable the client credentials flow on the connected app',
};

/**
 * A new session from `POST {loginUrl}/services/oauth2/token` (`grant_type=client_credentials`).
 * Salesforce gives no expiry: a session ends after inactivity and the API then answers 401, which
 * the caller handles by asking for a new one. Throws a `SalesforceError` naming the OAuth error and
 * what to change; the secret goes only into the form body, never into a message.
 */
export async function requestToken(
  fetchImpl: typeof fetch,
  request: TokenRequest,
  policy: RetryPolicy,
): Promise<SalesforceSession> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: request.clientId,
    client_secret: request.clientSecret,
  });
  const url = `${request.loginUrl.replace(/\/+$/, '')}/services/oauth2/token`;
  const init: RequestInit = {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: form.toString(),
  };
  const response = await fetchWithRetry(fetchImpl, url, init, policy, 'token request');
  const body: unknown = await response.json().catch(() => undefined);
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (response.ok && typeof fields.access_token === 'string' && typeof fields.instance_url === 'string') {
    return { accessToken: fields.access_token, instanceUrl: fields.instance_url.replace(/\/+$/, '') };
  }
  const error = typeof fields.error === 'string' ? fields.error : 'UNEXPECTED_RESPONSE';
  const description = typeof fields.error_description === 'string' ? `: ${fields.error_description}` : '';
  const advice = OAUTH_ADVICE[error] ?? `check loginUrl (${request.loginUrl}) points at the org's My Domain URL`;
  throw new SalesforceError(
    error,
    response.status,
    `Salesforce token request to ${url} failed (HTTP ${response.status} ${error}${description}); ${advice}.`,
  );
}
