import * as http from 'node:http';
import * as https from 'node:https';
import { resolveSecret } from '../../config/resolve-secret';
import { allowedPrivateHosts } from '../../util/private-address';
import type { ConnectorFactory, DeliveryBatch, DeliveryContext } from '../connector';
import { createWebhookBodyRenderer } from './webhook/create-webhook-body-renderer';
import { parseWebhookUrl } from './webhook/parse-webhook-url';
import { postWebhook } from './webhook/post-webhook';
import { requestHeaders, resolveExtraHeaders } from './webhook/request-headers';
import { resolveWebhookAddresses } from './webhook/resolve-webhook-addresses';
import { webhookAnswerError } from './webhook/webhook-answer-error';
import { buildWebhookPayload } from './webhook/webhook-payload';

/**
 * The `webhook` destination: each batch is one signed JSON POST (the `payload` template, or the
 * default payload), sent only to addresses that pass the SSRF rules at send time, never following
 * redirects. Secrets are resolved here, so a missing one stops the destination before any request.
 */
export const createWebhookConnector: ConnectorFactory = (target, environment) => {
  const where = `Destination/${target.name}`;
  const webhook = target.spec.webhook;
  if (webhook === undefined) throw new Error(`${where} is not a webhook destination (no webhook block)`);
  const { env } = environment;
  const rawUrl = resolveSecret(webhook.url, env, `${where} (webhook.url)`);
  const secret =
    webhook.secret === undefined ? undefined : resolveSecret(webhook.secret, env, `${where} (webhook.secret)`);
  const extraHeaders = resolveExtraHeaders(webhook.headers, env, where);
  const render = createWebhookBodyRenderer(where, webhook.payload);
  const allowed = allowedPrivateHosts(env);
  const maxConcurrency = target.spec.rateLimit?.maxConcurrency ?? 4;
  const timeoutMs = (webhook.timeoutSeconds ?? 10) * 1000;
  // One pool of keep-alive sockets per destination: reused across batches, sized to the concurrency.
  const agent = keepAliveAgent(rawUrl, maxConcurrency);
  const secrets = [...(secret === undefined ? [] : [secret]), ...extraHeaders.secretValues];

  async function deliver(batch: DeliveryBatch, context: DeliveryContext) {
    const body = render(buildWebhookPayload(batch));
    const endpoint = parseWebhookUrl(rawUrl, where);
    const addresses = await resolveWebhookAddresses(endpoint, allowed, where);
    const answer = await postWebhook({
      target: endpoint,
      addresses,
      headers: requestHeaders(extraHeaders.headers, batch.batchId, { body, secret }),
      body,
      agent,
      timeoutMs,
      signal: context.signal,
      where,
    });
    const failure = webhookAnswerError(answer, { where, target: endpoint, allowed, secrets });
    if (failure) throw failure;
    return { unmatched: [] };
  }

  return {
    maxBatchSize: webhook.batchSize ?? 500,
    maxConcurrency,
    deliver,
    async close() {
      agent.destroy();
    },
  };
};

function keepAliveAgent(rawUrl: string, maxConcurrency: number): http.Agent {
  const options = { keepAlive: true, maxSockets: maxConcurrency, maxFreeSockets: maxConcurrency };
  // An unparsable URL gets an http agent; deliver reports the URL before any request is made.
  return URL.canParse(rawUrl) && new URL(rawUrl).protocol === 'https:'
    ? new https.Agent(options)
    : new http.Agent(options);
}
