/**
 * A Salesforce call that failed in a way the user has to act on (wrong credentials, bad field,
 * API limit reached, org unreachable after retries). The message says what failed and what to do;
 * it never holds the client secret or an access token (the client redacts both before throwing).
 */
export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';
  constructor(
    /**
     * Salesforce's `errorCode` (`INVALID_FIELD`, `REQUEST_LIMIT_EXCEEDED`), the OAuth `error`
     * (`invalid_client`), or one of ours: `NETWORK_ERROR`, `UNEXPECTED_RESPONSE`.
     */
    readonly errorCode: string,
    /** HTTP status of the failing answer; undefined when no answer came (network error). */
    readonly status: number | undefined,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** One entry of the REST API's error answer: `[{ "message": "...", "errorCode": "..." }]`. */
export interface ApiErrorEntry {
  errorCode: string;
  message: string;
}

/** What to do about each API error code the user can fix; other codes get Salesforce's message alone. */
const ADVICE: Record<string, string> = {
  REQUEST_LIMIT_EXCEEDED:
    'API request limit reached; retry after the rolling 24-hour limit frees up (Setup > Company Information shows the usage)',
  MALFORMED_QUERY: 'check the object and field names in the source (custom fields end in __c)',
  INVALID_FIELD: 'check the field names in the source against the org (custom fields end in __c)',
  INVALID_TYPE: 'check the object name in the source, and that the run-as user can read it',
  INVALID_SESSION_ID:
    "a new token was refused too: check the connected app's policies (IP relaxation, run-as user, session settings)",
  INVALID_QUERY_LOCATOR: 'the query cursor expired before all pages were read; run the read again',
  INSUFFICIENT_ACCESS: "give the connected app's run-as user read access to the object and its fields",
  API_DISABLED_FOR_ORG: "the org's edition or the run-as user's profile does not allow API access (API Enabled)",
  NOT_FOUND: 'check the apiVersion (e.g. v60.0) and the instance URL',
};

/**
 * The error for a failed API answer: Salesforce's own message (it names the bad field or object),
 * then what to do. `what` says which call failed, e.g. `query of Contact`.
 */
export function apiError(what: string, status: number, entry: ApiErrorEntry): SalesforceError {
  const advice = ADVICE[entry.errorCode];
  const told = entry.message.trim().replace(/\s*\n\s*/g, ' ');
  const message = `Salesforce ${what} failed (HTTP ${status} ${entry.errorCode}): ${told}${advice ? `. ${advice}` : ''}`;
  return new SalesforceError(entry.errorCode, status, message);
}

/**
 * The first `{ errorCode, message }` of an API error body, or a generic one when the body is not
 * Salesforce's error shape (a proxy's HTML page, an empty 503).
 */
export function apiErrorEntry(status: number, body: unknown): ApiErrorEntry {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  if (typeof first === 'object' && first !== null) {
    const { errorCode, message } = first as Record<string, unknown>;
    if (typeof errorCode === 'string') return { errorCode, message: typeof message === 'string' ? message : '' };
  }
  return {
    errorCode: status >= 500 ? 'SERVER_ERROR' : 'UNEXPECTED_RESPONSE',
    message: `no error details (HTTP ${status})`,
  };
}
