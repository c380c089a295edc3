import { bareHost, refusedHostReason } from '../../../util/private-address';
import { DeliveryError } from '../../connector';
import { parseRetryAfter } from './parse-retry-after';
import type { WebhookUrl } from './parse-webhook-url';
import type { WebhookAnswer } from './post-webhook';

/** What judging an answer needs besides the answer. */
export interface AnswerContext {
  /** `Destination/<name>`. */
  where: string;
  target: WebhookUrl;
  /** ROSTER_ALLOW_PRIVATE_HOSTS, to say whether a redirect points at a refused host. */
  allowed: readonly string[];
  /** Values that must never appear in a message (the signing key, secret header values). */
  secrets: readonly string[];
}

/**
 * The `DeliveryError` an answer means, or undefined for 2xx. 408, 429 and 5xx are retryable (with
 * `Retry-After` honoured); a redirect and other 4xx are not: the same request gets the same answer.
 */
export function webhookAnswerError(answer: WebhookAnswer, context: AnswerContext): DeliveryError | undefined {
  const { status } = answer;
  if (status >= 200 && status < 300) return undefined;
  const what = `${context.where}: webhook ${context.target.shown} answered HTTP ${status}`;
  if (status >= 300 && status < 400)
    return new DeliveryError(`${what}, ${redirectDescription(answer, context)}`, { retryable: false });
  const excerpt = bodyExcerpt(answer.body, context.secrets);
  const said = excerpt === '' ? '' : `: ${excerpt}`;
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(header(answer, 'retry-after'));
    const when = retryAfterMs === undefined ? '' : ` after ${Math.ceil(retryAfterMs / 1000)} s (Retry-After)`;
    return new DeliveryError(`${what}${said}; will retry${when}`, { retryable: true, retryAfterMs });
  }
  return new DeliveryError(`${what}${said}; not retried: ${advice(status)}`, { retryable: false });
}

function redirectDescription(answer: WebhookAnswer, context: AnswerContext): string {
  const location = header(answer, 'location');
  if (location === undefined) return 'a redirect without a Location; redirects are not followed';
  let host: string | undefined;
  // Only the scheme and host of the Location are shown: its path may carry the same token as the
  // webhook URL (a redirect from http:// to https:// keeps it), and errors end up in logs and status.
  let shown = 'an unparsable Location';
  try {
    const url = new URL(location, context.target.url);
    host = bareHost(url.hostname);
    shown = `${url.protocol}//${url.host}/…`;
  } catch {
    // Nothing to check; the redirect is refused all the same.
  }
  const reason = host === undefined || context.allowed.includes(host) ? undefined : refusedHostReason(host);
  const refused = reason ? ` (refused: ${host} is ${reason})` : '';
  return `a redirect to ${shown}${refused}; redirects are not followed: set webhook.url to the final endpoint`;
}

function advice(status: number): string {
  if (status === 401 || status === 403) return 'check the credentials in webhook.headers or webhook.secret';
  if (status === 404 || status === 405) return 'check webhook.url';
  if (status === 413) return 'lower webhook.batchSize';
  return 'fix the endpoint or the payload, then retry the dead-lettered changes';
}

function header(answer: WebhookAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The first 200 characters of the body on one line, with every secret value masked. */
function bodyExcerpt(body: string, secrets: readonly string[]): string {
  let text = body.replace(/\s+/g, ' ').trim();
  for (const secret of secrets) if (secret !== '') text = text.split(secret).join('[redacted]');
  return truncate(text, 200);
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
