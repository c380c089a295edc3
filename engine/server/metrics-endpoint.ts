import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerMatches } from './bearer-token';
import { sendJson } from './http-helpers';
import { READ_TOKEN_VARIABLE } from './read-api/authorize-read';
import type { ServerContext } from './server-context';

/** Set to `1` to serve `/metrics` without a token (a scraper on a private network). */
export const METRICS_OPEN_VARIABLE = 'ROSTER_METRICS_OPEN';

/**
 * `GET /metrics`: Prometheus text. Open with `ROSTER_METRICS_OPEN=1`; otherwise behind the read
 * API's bearer token, and off (503) when neither is set, as the read API is (decision 52).
 */
export async function handleMetrics(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServerContext,
): Promise<void> {
  if (!context.metrics) return sendJson(response, 404, { error: 'not_found', message: 'no metrics in this server' });
  if (context.env[METRICS_OPEN_VARIABLE] !== '1') {
    const token = context.env[READ_TOKEN_VARIABLE];
    if (!token)
      return sendJson(response, 503, {
        error: 'not_configured',
        message: `set ${READ_TOKEN_VARIABLE} (scrape with it as a bearer token) or ${METRICS_OPEN_VARIABLE}=1 where roster run runs to enable /metrics`,
      });
    if (!bearerMatches(request.headers.authorization, token))
      return sendJson(
        response,
        401,
        { error: 'unauthorized', message: `send ${READ_TOKEN_VARIABLE} as "Authorization: Bearer <token>"` },
        { 'www-authenticate': 'Bearer' },
      );
  }
  const text = await context.metrics.registry.metrics();
  response.writeHead(200, {
    'content-type': context.metrics.registry.contentType,
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
