import type { Readable } from 'node:stream';
import { MarketoClient } from '../../../engine/vendors/marketo/marketo-client';
import type { MarketoClientOptions } from '../../../engine/vendors/marketo/marketo-client-options';
import type { MarketoServer } from './marketo-server';

/** Waits shortened so a test runs in milliseconds; the protocol is unchanged. */
export const FAST_TIMINGS = {
  pollIntervalMs: 5,
  rateLimitWaitMs: 20,
  retryBaseMs: 5,
  exportQueueWaitMs: 10,
} satisfies Partial<MarketoClientOptions>;

/** A client of `server` with its credentials and fast timings, and the log lines it wrote. */
export function clientFor(
  server: MarketoServer,
  overrides: Partial<MarketoClientOptions> = {},
): { client: MarketoClient; logs: string[] } {
  const logs: string[] = [];
  const client = new MarketoClient({
    endpoint: server.url,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    ...FAST_TIMINGS,
    log: (line) => logs.push(line),
    ...overrides,
  });
  return { client, logs };
}

/** The whole body of a stream, for comparing with fixture bytes. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The API (non-identity) requests the server received. */
export function apiRequests(server: MarketoServer): MarketoServer['requests'] {
  return server.requests.filter((request) => !request.path.startsWith('/identity/'));
}

/** The token requests the server received. */
export function tokenRequests(server: MarketoServer): MarketoServer['requests'] {
  return server.requests.filter((request) => request.path === '/identity/oauth/token');
}

/** The error `promise` rejects with (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** Every file of an extract, read whole, with its window. */
export async function collect<T extends { csv: Readable }>(
  files: AsyncIterable<T>,
): Promise<(T & { bytes: Buffer })[]> {
  const read: (T & { bytes: Buffer })[] = [];
  for await (const file of files) read.push({ ...file, bytes: await readAll(file.csv) });
  return read;
}
