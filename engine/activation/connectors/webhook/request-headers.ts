import type { OutgoingHttpHeaders } from 'node:http';
import { resolveSecret } from '../../../config/resolve-secret';
import { isSecretRef } from '../../../config/schema-validator';
import { signWebhookBody } from './sign-webhook-body';

/** Headers a spec cannot override: they are what receivers verify and deduplicate with. */
const PROTECTED = new Set([
  'x-roster-signature',
  'x-roster-batch-id',
  'idempotency-key',
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
]);

/** The spec's extra headers, resolved, and the values that came from secrets (never to be shown). */
export interface ExtraHeaders {
  headers: Record<string, string>;
  secretValues: string[];
}

/**
 * The spec's extra headers with secret references resolved (throws `MissingSecretError`), lower-cased
 * so they merge with ours; headers Roster sets itself are left out.
 */
export function resolveExtraHeaders(
  headers: Record<string, string | undefined> | undefined,
  env: NodeJS.ProcessEnv,
  where: string,
): ExtraHeaders {
  const resolved: ExtraHeaders = { headers: {}, secretValues: [] };
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || PROTECTED.has(name.toLowerCase())) continue;
    const header = resolveSecret(value, env, `${where} (webhook.headers.${name})`);
    resolved.headers[name.toLowerCase()] = header;
    if (isSecretRef(value)) resolved.secretValues.push(header);
  }
  return resolved;
}

/** Headers of one request: defaults, the spec's extras, then the batch id and the body's signature. */
export function requestHeaders(
  extra: Record<string, string>,
  batchId: string,
  signing: { body: Buffer; secret: string | undefined },
): OutgoingHttpHeaders {
  return {
    'content-type': 'application/json',
    'user-agent': 'roster',
    ...extra,
    'x-roster-batch-id': batchId,
    'idempotency-key': batchId,
    ...(signing.secret === undefined ? {} : { 'x-roster-signature': signWebhookBody(signing.body, signing.secret) }),
  };
}
