import { compileTemplate, type SandboxedTemplate } from '../../../template/compile-template';
import { templateFailureOf } from '../../../template/template-failure-of';
import { DeliveryError } from '../../connector';
import type { WebhookPayload } from './webhook-payload';

/** Turns a batch's payload into the exact request body bytes (which are then signed). */
export type WebhookBodyRenderer = (payload: WebhookPayload) => Buffer;

/**
 * The body renderer of a destination: its `payload` nunjucks template, or the default JSON. The
 * template is compiled once here, by the sandboxed renderer (`engine/template/`); a template that
 * cannot compile, or that reaches past the batch variables or the render limits, makes every delivery fail with a non-retryable `DeliveryError` (the same template
 * will always fail, so retrying only delays the dead letter).
 */
export function createWebhookBodyRenderer(where: string, template: string | undefined): WebhookBodyRenderer {
  if (template === undefined) return (payload) => Buffer.from(JSON.stringify(payload));
  let compiled: SandboxedTemplate;
  try {
    // Undefined values render empty rather than throw: a person with no title must not dead-letter
    // a whole batch; the `json` filter renders them as `null`.
    compiled = compileTemplate(template, { throwOnUndefined: false });
  } catch (error) {
    const failure = templateError(where, 'cannot be compiled', error);
    return () => {
      throw failure;
    };
  }
  return (payload) => renderJson(where, compiled, payload);
}

function renderJson(where: string, template: SandboxedTemplate, payload: WebhookPayload): Buffer {
  let text: string;
  try {
    // Only the batch variables are in scope: no environment, no secrets, no file loader, no globals.
    text = template.render({ ...payload });
  } catch (error) {
    throw templateError(where, 'failed to render', error);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new DeliveryError(
      `${where}: webhook.payload rendered invalid JSON (${error instanceof Error ? error.message : String(error)}); embed values with the json filter, e.g. "email": {{ change.fields.email | json }}`,
      { retryable: false, cause: error },
    );
  }
  return Buffer.from(text);
}

function templateError(where: string, what: string, error: unknown): DeliveryError {
  return new DeliveryError(`${where}: webhook.payload ${what}: ${messageOf(error)}; fix the template`, {
    retryable: false,
    cause: error,
  });
}

/** Position and reason of a template failure, without nunjucks' "(unknown path)" framing. */
function messageOf(error: unknown): string {
  const { line, column, message } = templateFailureOf(error);
  return `line ${line}, column ${column}: ${message}`;
}
