import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, answerQuery, type QueryCursors } from './answer-query';
import { SalesforceOrg } from './salesforce-org';

/** A request as the server received it, for assertions. */
export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Decoded query-string parameters (`q` holds the SOQL). */
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the server does next; tests change it at any time, even mid-read. */
export interface SalesforceServerScript {
  /** Records per query page (Salesforce's default is 2000). */
  pageSize: number;
  /** Consumer key and secret the token endpoint accepts. */
  clientId: string;
  clientSecret: string;
  /** API calls each token is good for; the next answers 401 INVALID_SESSION_ID. Undefined: never expires. */
  sessionCalls?: number;
  /** The next this-many API calls answer 503. */
  serverErrors: number;
  /** The next this-many API calls get their connection closed without an answer. */
  dropConnections: number;
  /** While true, API calls answer 403 REQUEST_LIMIT_EXCEEDED. */
  requestLimitExceeded: boolean;
}

/** A running fake org; `close()` it after the test. */
export interface SalesforceServer {
  /** `http://127.0.0.1:<port>`: both the login URL and the instance URL. */
  url: string;
  org: SalesforceOrg;
  script: SalesforceServerScript;
  /** Every request, token requests included, in arrival order. */
  requests: RecordedRequest[];
  /** Every access token issued, in order. */
  tokens: string[];
  /** The recorded requests to the query API only. */
  queryRequests(): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking the Salesforce protocol the client uses (client-credentials token
 * endpoint, REST query with `nextRecordsUrl` paging) over the real sample records, with failures
 * on demand. Listens on 127.0.0.1 on a free port.
 */
export async function startSalesforceServer(script: Partial<SalesforceServerScript> = {}): Promise<SalesforceServer> {
  const state: SalesforceServer = {
    url: '',
    org: new SalesforceOrg(),
    script: {
      pageSize: 2000,
      clientId: 'roster-test-consumer-key',
      clientSecret: `test-secret-${randomBytes(8).toString('hex')}`,
      serverErrors: 0,
      dropConnections: 0,
      requestLimitExceeded: false,
      ...script,
    },
    requests: [],
    tokens: [],
    queryRequests: () => state.requests.filter((request) => request.path.startsWith('/services/data/')),
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
  const callsByToken = new Map<string, number>();
  const cursors: QueryCursors = new Map();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = {
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      state.requests.push(recorded);
      const answer = route(state, recorded, callsByToken, cursors);
      if (answer === 'drop') response.socket?.destroy();
      else send(response, answer);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** The answer to `request`, or `drop` to close the connection without one. */
function route(
  state: SalesforceServer,
  request: RecordedRequest,
  callsByToken: Map<string, number>,
  cursors: QueryCursors,
): Answer | 'drop' {
  if (request.path === '/services/oauth2/token' && request.method === 'POST') {
    return answerToken(state, request, callsByToken);
  }
  if (!request.path.startsWith('/services/data/')) {
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] };
  }
  return answerApi(state, request, callsByToken, cursors);
}

/** The client-credentials token endpoint; OAuth errors in its own `{ error, error_description }` shape. */
function answerToken(state: SalesforceServer, request: RecordedRequest, callsByToken: Map<string, number>): Answer {
  const form = new URLSearchParams(request.body);
  if (form.get('grant_type') !== 'client_credentials') {
    return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } };
  }
  if (form.get('client_id') !== state.script.clientId) {
    return { status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } };
  }
  if (form.get('client_secret') !== state.script.clientSecret) {
    return { status: 400, body: { error: 'invalid_client', error_description: 'invalid client credentials' } };
  }
  const token = `00DR0000000TEST!AQ${randomBytes(24).toString('base64url')}`;
  state.tokens.push(token);
  callsByToken.set(token, 0);
  const body = {
    access_token: token,
    signature: randomBytes(32).toString('base64'),
    scope: 'api',
    instance_url: state.url,
    id: `${state.url}/id/00DR0000000TESTMAA/005R0000000TESTIAA`,
    token_type: 'Bearer',
    issued_at: String(Date.now()),
  };
  return { status: 200, body };
}

/** An API call: scripted failures first, then the session check, then the query itself. */
function answerApi(
  state: SalesforceServer,
  request: RecordedRequest,
  callsByToken: Map<string, number>,
  cursors: QueryCursors,
): Answer | 'drop' {
  const { script } = state;
  if (script.dropConnections > 0) {
    script.dropConnections--;
    return 'drop';
  }
  if (script.serverErrors > 0) {
    script.serverErrors--;
    return { status: 503, body: [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }] };
  }
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  const calls = token === undefined ? undefined : callsByToken.get(token);
  if (calls === undefined || (script.sessionCalls !== undefined && calls >= script.sessionCalls)) {
    return { status: 401, body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }] };
  }
  callsByToken.set(token!, calls + 1);
  if (script.requestLimitExceeded) {
    return { status: 403, body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }] };
  }
  return answerQuery(state.org, request, cursors, script.pageSize);
}

function send(response: ServerResponse, { status, body }: Answer): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
