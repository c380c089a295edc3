import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** A Marketo-style request id (`e42b#14272d07d78`). */
export function requestId(): string {
  return `${randomBytes(2).toString('hex')}#${Date.now().toString(16)}`;
}

/** Messages Marketo sends with each error code (as documented). */
export const MARKETO_MESSAGES: Record<string, string> = {
  '600': 'Access token not specified',
  '601': 'Access token invalid',
  '602': 'Access token expired',
  '604': 'Request timed out',
  '606': "Max rate limit '100' exceeded with in '20' secs",
  '607': 'Daily quota reached',
  '615': 'Concurrent access limit reached',
  '1003': 'Invalid request',
  '1029 queue': 'Too many jobs in queue',
  '1029 quota': 'Export daily quota exceeded',
};

/** A body with `success: true` and `result`, plus any paging fields. */
export function successBody(result: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { requestId: requestId(), result, success: true, ...extra };
}

/** A body with `success: false` and one error; `key` is a code or a `MARKETO_MESSAGES` key. */
export function errorBody(key: string, message?: string): Record<string, unknown> {
  const code = key.split(' ')[0]!;
  return {
    requestId: requestId(),
    success: false,
    errors: [{ code, message: message ?? MARKETO_MESSAGES[key] ?? 'Error' }],
  };
}

/** Writes `body` as JSON with `status` (Marketo answers its errors with 200 too). */
export function sendJson(response: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** The code an answer body carries, for the request log: `200` for success. */
export function answeredCode(body: unknown): string {
  const errors = (body as { errors?: { code: string }[] }).errors;
  return errors?.[0]?.code ?? '200';
}
