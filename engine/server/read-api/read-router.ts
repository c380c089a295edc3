import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http-helpers';
import type { ServerContext } from '../server-context';
import { authorizeRead } from './authorize-read';
import { destinationRoutes } from './destination-routes';
import { parseReadQuery } from './parse-read-query';
import { personRoutes } from './person-routes';
import { type ReadAnswer, type ReadRoute, refuse } from './read-route';
import { segmentRoutes } from './segment-routes';

const ROUTES: readonly ReadRoute[] = [...personRoutes, ...segmentRoutes, ...destinationRoutes];

/**
 * Answers a request under `/v1/` other than a push: the token first (so an unauthenticated caller
 * learns nothing about routes or names), then the route, its method (GET only) and its query.
 */
export async function handleReadRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServerContext,
  url: URL,
): Promise<void> {
  const answer = await answerRead(request, context, url);
  sendJson(response, answer.status, answer.body, answer.headers);
}

async function answerRead(request: IncomingMessage, context: ServerContext, url: URL): Promise<ReadAnswer> {
  const denied = authorizeRead(request.headers.authorization, context.env);
  if (denied) return denied;
  for (const route of ROUTES) {
    const match = route.path.exec(url.pathname);
    if (!match) continue;
    if (request.method !== 'GET')
      return { ...refuse(405, 'method_not_allowed', 'use GET (the read API is read-only)'), headers: { allow: 'GET' } };
    const parsed = parseReadQuery(url.searchParams, route.accepts);
    if ('problems' in parsed) return refuse(400, 'bad_request', parsed.problems.join('; '));
    return route.answer({ db: context.pool, sandbox: context.sandbox, params: match.slice(1), query: parsed.query });
  }
  return refuse(404, 'not_found', `no route ${request.method} ${url.pathname}`);
}
