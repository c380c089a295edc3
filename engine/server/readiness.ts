import type { ServerResponse } from 'node:http';
import { findMissingSecrets } from '../observe/find-missing-secrets';
import { sendJson } from './http-helpers';
import type { ServerContext } from './server-context';

/**
 * `GET /readyz`: 200 when the database answers and every secret the applied sources and
 * destinations refer to is set; otherwise 503 naming what is missing, so an orchestrator holds
 * traffic back from a process whose runs would fail for want of configuration.
 */
export async function answerReadiness(response: ServerResponse, context: ServerContext): Promise<void> {
  const missing = await findMissingSecrets(context.pool, context.sandbox, context.env).catch(() => undefined);
  if (!missing) return sendJson(response, 503, { status: 'database unavailable', sandbox: context.sandbox });
  if (missing.length === 0) return sendJson(response, 200, { status: 'ready', sandbox: context.sandbox });
  const variables = [...new Set(missing.map((m) => m.variable))];
  return sendJson(response, 503, {
    status: 'missing secrets',
    sandbox: context.sandbox,
    missingSecrets: missing,
    message: `set ${variables.join(', ')} in the environment of roster run (${missing.map((m) => `${m.resource} needs ${m.variable}`).join('; ')})`,
  });
}
