import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { CallGate } from './call-limiter';
import type { CallFailure } from './retry-policy';

/** What one attempt needs: the fetch to use, the limiter every call passes, and a timeout. */
export interface AttemptContext {
  fetch: typeof fetch;
  limiter: CallGate;
  /** Longest wait for an answer (the whole body for JSON calls, the headers for file downloads). */
  requestTimeoutMs: number;
}

/** An HTTP request, already complete with headers. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/** An answer read whole: status, content type and body text. */
export interface TextAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** The outcome of one attempt: a value, or why there was no usable answer. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: CallFailure };

/**
 * Sends `request` once inside a limiter place and reads the whole answer. The place is held until
 * the body is read, since Marketo counts a call as in flight until its answer is complete.
 */
export async function attemptText(context: AttemptContext, request: HttpRequest): Promise<Attempt<TextAnswer>> {
  return context.limiter.run(async () => {
    try {
      const response = await context.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(context.requestTimeoutMs),
      });
      const text = await response.text();
      return { ok: true, value: { status: response.status, contentType: contentTypeOf(response), text } };
    } catch (error) {
      return { ok: false, failure: { kind: 'network', error } };
    }
  });
}

/**
 * Sends a download `request` once and hands back the body as a Node stream without buffering it.
 * The limiter place is held until the stream ends, fails or is destroyed, because the download is
 * a call in flight for Marketo until then: consumers must read the stream to its end or destroy it.
 * An answer that is not a file (JSON, an error status) is read whole and returned as `TextAnswer`.
 */
export async function attemptDownload(
  context: AttemptContext,
  request: HttpRequest,
): Promise<Attempt<{ file: Readable } | { answer: TextAnswer }>> {
  const release = await context.limiter.acquire();
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no answer within ${context.requestTimeoutMs} ms`)),
    context.requestTimeoutMs,
  );
  try {
    const response = await context.fetch(request.url, {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
    });
    const contentType = contentTypeOf(response);
    if (response.status !== 200 || contentType.includes('json') || response.body === null) {
      const answer = { status: response.status, contentType, text: await response.text() };
      release();
      return { ok: true, value: { answer } };
    }
    const file = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    // 'close' follows 'end', 'error' and destroy() alike, so the place is always given back.
    file.once('close', release);
    return { ok: true, value: { file } };
  } catch (error) {
    release();
    return { ok: false, failure: { kind: 'network', error } };
  } finally {
    // Only the wait for the headers is timed: a large file may take long to stream.
    clearTimeout(timer);
  }
}

function contentTypeOf(response: Response): string {
  return (response.headers.get('content-type') ?? '').toLowerCase();
}
