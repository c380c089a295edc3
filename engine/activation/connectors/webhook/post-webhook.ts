import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { DeliveryError } from '../../connector';
import type { WebhookUrl } from './parse-webhook-url';
import type { CheckedAddress } from './resolve-webhook-addresses';

/** One POST of a batch body to addresses that passed the SSRF rules. */
export interface WebhookRequest {
  target: WebhookUrl;
  addresses: CheckedAddress[];
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
  /** The connector's keep-alive agent (`https.Agent` for https URLs). */
  agent: http.Agent;
  /** Deadline of the whole exchange, response body included. */
  timeoutMs: number;
  signal: AbortSignal;
  /** `Destination/<name>`, for messages. */
  where: string;
}

/** What the endpoint answered; redirects are returned like any answer, never followed. */
export interface WebhookAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The start of the response body (at most 64 KiB), for error messages. */
  body: string;
}

const MAX_KEPT_BODY_BYTES = 64 * 1024;

/**
 * POSTs the body. Connection failures, timeouts and cancellation are retryable `DeliveryError`s.
 * A keep-alive socket the server closed just as it was reused (its idle timeout raced our request)
 * is retried once, at once: the request almost certainly never arrived, and if it did, receivers
 * drop a repeated batch id.
 */
export async function postWebhook(request: WebhookRequest): Promise<WebhookAnswer> {
  try {
    return await postOnce(request);
  } catch (error) {
    if (!(error instanceof StaleSocketError)) throw error;
    return postOnce(request);
  }
}

class StaleSocketError extends Error {}

async function postOnce(request: WebhookRequest): Promise<WebhookAnswer> {
  const { url, host } = request.target;
  const client = url.protocol === 'https:' ? https : http;
  const outgoing = client.request({
    method: 'POST',
    host,
    port: url.port === '' ? undefined : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers: { ...request.headers, 'content-length': request.body.length },
    agent: request.agent,
    // Connect to the checked addresses only: a second DNS answer (rebinding) is never consulted.
    lookup: pinnedLookup(request.addresses),
    // TLS still names and verifies the host, not the address it was pinned to.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    signal: request.signal,
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    outgoing.destroy(new Error(`no complete answer within ${request.timeoutMs} ms`));
  }, request.timeoutMs);
  try {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      outgoing.on('response', resolve);
      // Stays attached after the response: a late socket error must not become an unhandled event.
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
    return { status: response.statusCode ?? 0, headers: response.headers, body: await readStart(response) };
  } catch (error) {
    if (isStaleSocket(error, outgoing, timedOut)) throw new StaleSocketError();
    throw transportError(request, error, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

/** A `lookup` that answers with the checked addresses, in the form `net.connect` asked for. */
function pinnedLookup(addresses: CheckedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) return callback(null, addresses);
    const first = addresses.find((a) => !options.family || a.family === options.family) ?? addresses[0]!;
    callback(null, first.address, first.family);
  };
}

/** Reads the whole body (so the socket goes back to the pool) and keeps its start. */
async function readStart(response: http.IncomingMessage): Promise<string> {
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    if (size < MAX_KEPT_BODY_BYTES) kept.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(kept).subarray(0, MAX_KEPT_BODY_BYTES).toString('utf8');
}

function isStaleSocket(error: unknown, outgoing: http.ClientRequest, timedOut: boolean): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return !timedOut && outgoing.reusedSocket && (code === 'ECONNRESET' || code === 'EPIPE');
}

function transportError(request: WebhookRequest, error: unknown, timedOut: boolean): DeliveryError {
  const what = `${request.where}: POST ${request.target.shown}`;
  if (timedOut)
    return new DeliveryError(
      `${what} timed out after ${request.timeoutMs / 1000} s; will retry (raise webhook.timeoutSeconds if the endpoint is slow)`,
      { retryable: true, cause: error },
    );
  if (request.signal.aborted)
    return new DeliveryError(`${what} was cancelled (shutting down); will retry`, {
      retryable: true,
      cause: request.signal.reason ?? error,
    });
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message : String(error);
  const detail = code && !message.includes(code) ? `${code} ${message}` : message;
  return new DeliveryError(`${what} failed: ${detail}; will retry`, {
    retryable: true,
    cause: error,
  });
}
