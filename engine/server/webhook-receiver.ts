import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActivationMember, FieldValue } from '../activation/connector';
import { SIGNATURE_HEADER, webhookSignatureMatches } from '../activation/connectors/webhook/sign-webhook-body';
import type { WebhookPayload, WebhookPayloadChange } from '../activation/connectors/webhook/webhook-payload';
import { readBody, sendJson } from './http-helpers';

/** One request as the receiver got it. */
export interface WebhookReceipt {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as sent (UTF-8). */
  body: string;
  /** `X-Roster-Batch-Id`. */
  batchId: string | undefined;
  /** When the request was complete (epoch milliseconds). */
  receivedAt: number;
  /** `unchecked` when the receiver has no secret. */
  signature: 'valid' | 'invalid' | 'unchecked';
  /** The status answered; 0 until the answer is sent. */
  status: number;
}

/** A scripted answer (tests: 429 with Retry-After, a few 500s, a redirect). */
export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiverOptions {
  /** Signing key: requests whose `X-Roster-Signature` does not match are answered 401 and not applied. */
  secret?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /**
   * Called for every correctly signed request before it is applied. A non-2xx answer is sent as it
   * is and the request is not applied; a 2xx answer is sent after applying; undefined means 200.
   */
  respond?: (request: WebhookReceipt) => WebhookResponse | undefined;
  /** Receipts kept, oldest dropped first (default 1,000): bodies of large batches add up in a long demo. */
  maxReceipts?: number;
}

/** A subject currently in a segment, as the receiver knows it from the changes applied. */
export interface ReceivedMember {
  segment: string;
  subjectType: 'person' | 'account';
  subjectId: number;
  /** Person subjects: the person's fields when it entered. */
  fields?: Record<string, FieldValue> | null;
  members: ActivationMember[];
  /** `changedAt` of the change that made it a member. */
  since: string;
}

export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Requests received, oldest first. */
  receipts: WebhookReceipt[];
  /** Changes received again (same idempotency key) and therefore not applied twice. */
  readonly duplicates: number;
  /** Current members of `segment`, or of every segment, ordered by segment then subject. */
  members(segment?: string): ReceivedMember[];
  close(): Promise<void>;
}

/** Largest body accepted (a guard before parsing). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * A webhook endpoint on loopback that speaks the default Roster payload: verifies signatures,
 * records each request, and keeps each segment's members by applying entered/exited changes in
 * order, each idempotency key once. `roster demo` shows deliveries with it; tests script it.
 * `GET /` answers a summary (members per segment, receipts, duplicates).
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const state = new ReceiverState(options.maxReceipts ?? 1000);
  const server = createServer((request, response) => {
    handle(request, response, options, state).catch((error: unknown) => {
      // A receiver bug must answer (a hanging request would look like a slow endpoint), not crash.
      if (!response.headersSent)
        sendJson(response, 500, { error: 'internal', message: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    receipts: state.receipts,
    get duplicates() {
      return state.duplicates;
    },
    members: (segment) => state.members(segment),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open until the client drops them.
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: WebhookReceiverOptions,
  state: ReceiverState,
): Promise<void> {
  if (request.method === 'GET' && request.url === '/') return sendJson(response, 200, state.summary());
  if (request.method !== 'POST') return sendJson(response, 405, { error: 'method_not_allowed', message: 'use POST' });
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === undefined)
    return sendJson(response, 413, { error: 'too_large', message: `body over ${MAX_BODY_BYTES} bytes` });
  const receipt = state.record(request, body, options.secret);
  if (receipt.signature === 'invalid')
    return answer(response, receipt, {
      status: 401,
      body: JSON.stringify({ error: 'bad_signature', message: 'X-Roster-Signature does not sign this body' }),
    });
  const scripted = options.respond?.(receipt);
  if (scripted && (scripted.status < 200 || scripted.status >= 300)) return answer(response, receipt, scripted);
  let payload: unknown;
  try {
    payload = JSON.parse(body.toString('utf8'));
  } catch (error) {
    const message = `the body is not JSON (${(error as Error).message})`;
    return answer(response, receipt, { status: 400, body: JSON.stringify({ error: 'malformed', message }) });
  }
  const applied = isDefaultPayload(payload) ? state.apply(payload) : { applied: 0, duplicates: 0 };
  answer(response, receipt, scripted ?? { status: 200, body: JSON.stringify(applied) });
}

function answer(response: ServerResponse, receipt: WebhookReceipt, reply: WebhookResponse): void {
  receipt.status = reply.status;
  const body = reply.body ?? '';
  response.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...reply.headers,
  });
  response.end(body);
}

/** A custom payload template may send any JSON: it is recorded, and applied only in the default shape. */
function isDefaultPayload(value: unknown): value is WebhookPayload {
  const payload = value as Partial<WebhookPayload> | null;
  return (
    typeof payload?.segment === 'string' &&
    Array.isArray(payload.changes) &&
    payload.changes.every(
      (change) => typeof change?.idempotencyKey === 'string' && typeof change.subjectId === 'number',
    )
  );
}

class ReceiverState {
  readonly receipts: WebhookReceipt[] = [];
  duplicates = 0;
  private readonly seen = new Set<string>();
  private readonly bySegment = new Map<string, Map<string, ReceivedMember>>();

  constructor(private readonly maxReceipts: number) {}

  record(request: IncomingMessage, body: Buffer, secret: string | undefined): WebhookReceipt {
    const signature = request.headers[SIGNATURE_HEADER];
    const receipt: WebhookReceipt = {
      method: request.method ?? 'POST',
      path: request.url ?? '/',
      headers: request.headers,
      body: body.toString('utf8'),
      batchId: firstValue(request.headers['x-roster-batch-id']),
      receivedAt: Date.now(),
      signature:
        secret === undefined
          ? 'unchecked'
          : webhookSignatureMatches(body, firstValue(signature), secret)
            ? 'valid'
            : 'invalid',
      status: 0,
    };
    this.receipts.push(receipt);
    if (this.receipts.length > this.maxReceipts) this.receipts.shift();
    return receipt;
  }

  /** Applies changes in order; a change whose idempotency key was applied before counts as a duplicate. */
  apply(payload: WebhookPayload): { applied: number; duplicates: number } {
    let applied = 0;
    const before = this.duplicates;
    for (const change of payload.changes) {
      if (this.seen.has(change.idempotencyKey)) {
        this.duplicates += 1;
        continue;
      }
      this.seen.add(change.idempotencyKey);
      this.applyChange(payload.segment, change);
      applied += 1;
    }
    return { applied, duplicates: this.duplicates - before };
  }

  private applyChange(segment: string, change: WebhookPayloadChange): void {
    const members = this.bySegment.get(segment) ?? new Map<string, ReceivedMember>();
    this.bySegment.set(segment, members);
    const key = `${change.subjectType}:${change.subjectId}`;
    if (change.change === 'exited') members.delete(key);
    else
      members.set(key, {
        segment,
        subjectType: change.subjectType,
        subjectId: change.subjectId,
        ...(change.fields === undefined ? {} : { fields: change.fields }),
        members: change.members,
        since: change.changedAt,
      });
  }

  members(segment?: string): ReceivedMember[] {
    const segments = segment === undefined ? [...this.bySegment.keys()].sort() : [segment];
    return segments.flatMap((name) =>
      [...(this.bySegment.get(name)?.values() ?? [])].sort(
        (a, b) => a.subjectType.localeCompare(b.subjectType) || a.subjectId - b.subjectId,
      ),
    );
  }

  summary(): Record<string, unknown> {
    const segments = Object.fromEntries([...this.bySegment].map(([name, members]) => [name, members.size]));
    return { segments, receipts: this.receipts.length, duplicates: this.duplicates };
  }
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
