import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FakeBulkJobs } from './fake-bulk-jobs';
import { FakeIdentity } from './fake-identity';
import { FakeLeadDatabase } from './fake-lead-database';
import { answerLeadRoutes, type LeadCall } from './fake-lead-routes';
import { FakeLimits } from './fake-limits';
import { answerRestRead } from './fake-rest-pages';
import { type ExportKind, fixturePath } from './marketo-fixture-files';
import { answeredCode, errorBody, sendJson, successBody } from './marketo-server-answers';
import {
  type Fault,
  type FaultAnswer,
  type MarketoServerOptions,
  type RecordedRequest,
  SERVER_DEFAULTS,
} from './marketo-server-options';

/** A running fake Marketo instance and what it has seen. */
export interface MarketoServer {
  /** The REST endpoint, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The identity endpoint (`{url}/identity`). */
  identityUrl: string;
  clientId: string;
  clientSecret: string;
  /** Every request received, in arrival order. */
  requests: RecordedRequest[];
  identity: FakeIdentity;
  bulk: FakeBulkJobs;
  /** Leads and static lists: seed them with `leads.addLead` / `leads.addList`, read them with `leads.memberEmails`. */
  leads: FakeLeadDatabase;
  /** Calls that create or change leads (Sync Leads, Push Lead, Merge Leads), as received. */
  leadWrites: RecordedRequest[];
  /** Answers the next API call with `answer` instead of serving it (e.g. `606`, `615`, `607`). */
  failNextCall(answer: FaultAnswer): void;
  /** Ends the current access token now: the next call that carries it is answered `code` (default 602). */
  expireToken(code?: '601' | '602'): void;
  /** Most API calls that were ever in flight at once. */
  maxInFlight(): number;
  /** Most accepted API calls that arrived within any `windowMs` (default: the enforced window). */
  maxCallsInAnyWindow(windowMs?: number): number;
  /** How many calls the server itself rejected for exceeding a limit, by code (`606`, `615`). */
  limitRejections: Record<'606' | '615', number>;
  close(): Promise<void>;
}

/** The bulk routes: `/bulk/v1/{kind}/export/create.json` and `/bulk/v1/{kind}/export/{id}/{op}.json`. */
const BULK_ROUTE =
  /^\/bulk\/v1\/(leads|activities|program\/members)\/export\/(?:create\.json|([^/]+)\/(enqueue|status|file|cancel)\.json)$/;

/**
 * Starts a fake Marketo on 127.0.0.1 (a free port) that speaks the documented REST and bulk
 * extract protocol with recorded answers, records every request, enforces the instance limits
 * (606 past `callsPerWindow` in `windowMs`, 615 past `maxConcurrency` in flight, 607 past
 * `dailyQuota`) and answers the scripted `faults`. Its lead database (`leads`, see
 * `FakeLeadDatabase`) serves lead lookups and static list membership. Close it after the test.
 */
export async function startMarketoServer(options: MarketoServerOptions = {}): Promise<MarketoServer> {
  const fake = new FakeMarketo(options);
  const server = createServer((request, response) => {
    fake.handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, errorBody('611', `System error: ${String(error)}`));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake.describe(url, server);
}

class FakeMarketo {
  readonly requests: RecordedRequest[] = [];
  readonly limits: FakeLimits;
  readonly identity: FakeIdentity;
  readonly bulk: FakeBulkJobs;
  readonly leads: FakeLeadDatabase;
  readonly leadWrites: RecordedRequest[] = [];
  /** One-shot answers for the next API calls, from `failNextCall`. */
  private readonly nextFaults: FaultAnswer[] = [];
  private readonly credentials: { clientId: string; clientSecret: string };
  private readonly counts = { api: 0, identity: 0 };

  constructor(private readonly options: MarketoServerOptions) {
    this.credentials = {
      clientId: options.clientId ?? SERVER_DEFAULTS.clientId,
      clientSecret: options.clientSecret ?? SERVER_DEFAULTS.clientSecret,
    };
    this.limits = new FakeLimits({ ...SERVER_DEFAULTS.limits, ...options.limits });
    this.identity = new FakeIdentity(
      this.credentials,
      options.tokenLifetimeSeconds ?? SERVER_DEFAULTS.tokenLifetimeSeconds,
      options.tokenCallsPerToken,
    );
    this.bulk = new FakeBulkJobs(
      options.statusPollsBeforeDone ?? SERVER_DEFAULTS.statusPollsBeforeDone,
      options.jobOutcome ?? SERVER_DEFAULTS.jobOutcome,
    );
    this.leads = new FakeLeadDatabase({ seedFixtures: options.seedFixtureLeads });
  }

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const isIdentity = url.pathname.startsWith('/identity/');
    // Limits and faults are decided on arrival, before the body is read, as a gateway would.
    const refusal = isIdentity ? this.faultFor('identity') : this.admitApiCall(request, response, receivedAt);
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body: await readBody(request),
      receivedAt,
      answered: '',
    };
    this.requests.push(record);
    const exchange: Exchange = { record, request, response };
    if (!isIdentity) await sleep(this.options.latencyMs ?? SERVER_DEFAULTS.latencyMs);
    if (refusal !== undefined) return this.answerRefusal(exchange, refusal);
    if (isIdentity) return this.answerIdentity(exchange);
    return this.route(exchange);
  }

  /** Counts an API call in flight and returns why it is refused, if it is. */
  private admitApiCall(request: IncomingMessage, response: ServerResponse, receivedAt: number): string | undefined {
    this.limits.enter(response);
    const fault = this.faultFor('api');
    if (fault === '601' || fault === '602') this.identity.endCurrentToken(fault);
    if (fault !== undefined) return fault;
    // Marketo counts only accepted calls against the daily quota, so the quota is checked first.
    if (this.limits.acceptedCount() >= (this.options.dailyQuota ?? Number.POSITIVE_INFINITY)) return '607';
    const overLimit = this.limits.refusal(receivedAt);
    if (overLimit !== undefined) return overLimit;
    const tokenProblem = this.identity.checkCall(request.headers.authorization);
    if (tokenProblem !== undefined) return tokenProblem;
    this.limits.accept(receivedAt);
    return undefined;
  }

  private faultFor(on: 'api' | 'identity'): string | undefined {
    const call = ++this.counts[on];
    if (on === 'api' && this.nextFaults.length > 0) return this.nextFaults.shift();
    const matches = (fault: Fault): boolean =>
      (fault.on ?? 'api') === on && (fault.repeat ? call >= fault.call : call === fault.call);
    return this.options.faults?.find(matches)?.answer;
  }

  private answerRefusal({ record, request, response }: Exchange, refusal: string): void {
    if (refusal === 'drop') {
      record.answered = 'drop';
      request.socket.destroy();
    } else if (refusal.startsWith('HTTP ')) {
      const status = Number(refusal.slice(5));
      record.answered = String(status);
      response.writeHead(status, { 'content-type': 'text/html' });
      // Echoes the request line, as some gateways do, so tests can check the client scrubs it.
      response.end(`<html><body>${status} Service Unavailable: ${request.method} ${request.url}</body></html>`);
    } else {
      answer({ record, request, response }, errorBody(refusal));
    }
  }

  private answerIdentity(exchange: Exchange): void {
    if (exchange.record.path === '/identity/oauth/token') {
      const { status, body } = this.identity.answerTokenRequest(exchange.record.query);
      answer(exchange, body, status);
    } else {
      answer(exchange, { error: 'not_found' }, 404);
    }
  }

  private route(exchange: Exchange): void {
    const { method, path, query } = exchange.record;
    const bulk = BULK_ROUTE.exec(path);
    const leads = bulk ? undefined : this.routeLeads(exchange.record);
    const read = bulk || method !== 'GET' ? undefined : answerRestRead(path, query, this.options.listPageSize);
    if (bulk) this.routeBulk(exchange, { kind: bulk[1] as ExportKind, exportId: bulk[2], op: bulk[3] ?? 'create' });
    else if (leads !== undefined) answer(exchange, leads);
    else if (read !== undefined) answer(exchange, read);
    else answer(exchange, { message: `no route ${method} ${path}` }, 404);
  }

  private routeLeads(record: RecordedRequest): unknown | undefined {
    const call: LeadCall = { ...record, contentType: String(record.headers['content-type'] ?? '') };
    return answerLeadRoutes(this.leads, call, () => this.leadWrites.push(record));
  }

  private routeBulk(exchange: Exchange, job: { kind: ExportKind; exportId?: string; op: string }): void {
    const expected = job.op === 'status' || job.op === 'file' ? 'GET' : 'POST';
    if (exchange.record.method !== expected) {
      answer(exchange, { message: `${exchange.record.path} takes ${expected}` }, 405);
    } else if (job.op === 'file') {
      this.sendFile(exchange, job.kind, job.exportId!);
    } else {
      const outcome = this.bulk.operate(job, exchange.record.body);
      answer(exchange, 'error' in outcome ? errorBody(outcome.error, outcome.message) : successBody(outcome.result));
    }
  }

  /** Streams the job's fixture file, as Marketo streams the CSV it wrote. */
  private sendFile(exchange: Exchange, kind: ExportKind, exportId: string): void {
    const found = this.bulk.file(kind, exportId);
    if ('error' in found) {
      answer(exchange, errorBody(found.error, found.message));
      return;
    }
    exchange.record.answered = '200';
    exchange.response.writeHead(200, { 'content-type': 'text/csv;charset=UTF-8' });
    createReadStream(fixturePath(found.file)).pipe(exchange.response);
  }

  describe(url: string, server: Server): MarketoServer {
    return {
      url,
      identityUrl: `${url}/identity`,
      ...this.credentials,
      requests: this.requests,
      identity: this.identity,
      bulk: this.bulk,
      leads: this.leads,
      leadWrites: this.leadWrites,
      failNextCall: (answer) => this.nextFaults.push(answer),
      expireToken: (code = '602') => this.identity.endCurrentToken(code),
      limitRejections: this.limits.rejections,
      maxInFlight: () => this.limits.maxInFlight(),
      maxCallsInAnyWindow: (windowMs) => this.limits.maxCallsInAnyWindow(windowMs),
      close: () => (server.listening ? closeServer(server) : Promise.resolve()),
    };
  }
}

/** One request and its answer in the making. */
interface Exchange {
  record: RecordedRequest;
  request: IncomingMessage;
  response: ServerResponse;
}

/** Sends `body` as JSON and notes in the record what was answered. */
function answer({ record, response }: Exchange, body: unknown, status = 200): void {
  record.answered = status === 200 ? answeredCode(body) : String(status);
  sendJson(response, body, status);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}
