import { createServer, type Server } from 'node:http';
import { MissingSecretError } from '../config/resolve-secret';
import { createConsoleHandler } from './console/console-router';
import { isConsolePath } from './console/console-routes';
import { sendJson } from './http-helpers';
import { handleMetrics } from './metrics-endpoint';
import { handlePush } from './push-endpoint';
import { handleReadRequest } from './read-api/read-router';
import { answerReadiness } from './readiness';
import type { ServerContext } from './server-context';

/**
 * The HTTP server of `roster run`: streaming ingest (`POST /v1/sources/<name>/batches`, each source's
 * token), the read API (every other `/v1/` route, `ROSTER_API_TOKEN`), `/healthz` (the process is
 * up), `/readyz` (the database answers and the applied resources' secrets are set) and `/metrics`
 * (Prometheus), and the web console (`/`, `/login`, `/segments`..., `engine/console`). Every request is logged as one JSON line (the path, never
 * the query, which may hold an email); an unexpected error answers 500 without details (they go to
 * the log).
 */
export function createRosterServer(context: ServerContext): Server {
  const answerConsole = createConsoleHandler(context);
  return createServer((request, response) => {
    const started = Date.now();
    const url = new URL(request.url ?? '/', 'http://localhost');
    const push = /^\/v1\/sources\/([a-z][a-z0-9-]{0,62})\/batches$/.exec(url.pathname);
    const handled = (async () => {
      if (url.pathname === '/healthz') return sendJson(response, 200, { status: 'ok' });
      if (url.pathname === '/readyz') return answerReadiness(response, context);
      if (url.pathname === '/metrics' && request.method === 'GET') return handleMetrics(request, response, context);
      if (push && request.method === 'POST') return handlePush(request, response, context, push[1]!);
      if (push) return sendJson(response, 405, { error: 'method_not_allowed', message: 'use POST' });
      if (url.pathname.startsWith('/v1/')) return handleReadRequest(request, response, context, url);
      if (isConsolePath(url.pathname)) return answerConsole(request, response, url);
      return sendJson(response, 404, { error: 'not_found', message: `no route ${request.method} ${url.pathname}` });
    })();
    handled
      .catch((error: unknown) => {
        const missingSecret = error instanceof MissingSecretError;
        context.log({
          level: 'error',
          msg: 'request failed',
          path: url.pathname,
          error: error instanceof Error ? error.message : String(error),
        });
        if (!response.headersSent)
          sendJson(response, missingSecret ? 503 : 500, {
            error: missingSecret ? 'not_configured' : 'internal',
            message: missingSecret
              ? 'the source token is not configured on the server'
              : 'internal error; see the server log',
          });
      })
      .finally(() =>
        context.log({
          // Probes and scrapes come every few seconds: shown only at debug.
          level: PROBES.has(url.pathname) ? 'debug' : 'info',
          msg: 'request',
          method: request.method,
          path: url.pathname,
          status: response.statusCode,
          ms: Date.now() - started,
        }),
      );
  });
}

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);
