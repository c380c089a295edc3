import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http-helpers';
import type { SafeHtml } from './html';

/**
 * Headers of every console answer: scripts and styles only from the console's own files (so markup
 * that slipped through could not run), no framing, no referrer, nothing cached (pages hold personal data).
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
};

export function sendHtml(
  response: ServerResponse,
  status: number,
  page: SafeHtml,
  headers: Record<string, string> = {},
) {
  const text = `<!doctype html>\n${page.text}`;
  response.writeHead(status, {
    ...PAGE_HEADERS,
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** 303 See Other: after a form post the browser GETs `location`, so a reload does not post again. */
export function redirect(response: ServerResponse, location: string, headers: Record<string, string | string[]> = {}) {
  response.writeHead(303, { ...PAGE_HEADERS, ...headers, location, 'content-length': 0 });
  response.end();
}

/** A download (CSV): same headers as pages, and a file name. */
export function sendDownload(response: ServerResponse, body: string, type: string, fileName: string) {
  response.writeHead(200, {
    ...PAGE_HEADERS,
    'content-type': type,
    'content-disposition': `attachment; filename="${fileName}"`,
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Largest form accepted: the console's forms hold a token and a few short fields. */
const MAX_FORM_BYTES = 16 * 1024;

/** An `application/x-www-form-urlencoded` body, or undefined when it is too large. */
export async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  const body = await readBody(request, MAX_FORM_BYTES);
  return body === undefined ? undefined : new URLSearchParams(body.toString('utf8'));
}

/** The value of cookie `name` in the request, if sent. */
export function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
