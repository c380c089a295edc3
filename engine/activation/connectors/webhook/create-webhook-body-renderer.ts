import * as nunjucks from 'nunjucks';
import { DeliveryError } from '../../connector';
import type { WebhookPayload } from './webhook-payload';

/** Turns a batch's payload into the exact request body bytes (which are then signed). */
export type WebhookBodyRenderer = (payload: WebhookPayload) => Buffer;

/**
 * The body renderer of a destination: its `payload` nunjucks template, or the default JSON. The
 * template is compiled once here; a template that cannot compile, or that reaches past the batch
 * variables, makes every delivery fail with a non-retryable `DeliveryError` (the same template
 * will always fail, so retrying only delays the dead letter).
 */
export function createWebhookBodyRenderer(where: string, template: string | undefined): WebhookBodyRenderer {
  if (template === undefined) return (payload) => Buffer.from(JSON.stringify(payload));
  let compiled: nunjucks.Template;
  try {
    const problem = templateAccessProblem(template);
    if (problem) throw new Error(problem);
    compiled = new nunjucks.Template(template, payloadEnvironment(), undefined, true);
  } catch (error) {
    const failure = templateError(where, 'cannot be compiled', error);
    return () => {
      throw failure;
    };
  }
  return (payload) => renderJson(where, compiled, payload);
}

function renderJson(where: string, template: nunjucks.Template, payload: WebhookPayload): Buffer {
  let text: string;
  try {
    // Only the batch variables are in scope: no environment, no secrets, no file loader.
    text = template.render({ ...payload });
  } catch (error) {
    throw templateError(where, 'failed to render', error);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new DeliveryError(
      `${where}: webhook.payload rendered invalid JSON (${messageOf(error)}); embed values with the json filter, e.g. "email": {{ change.fields.email | json }}`,
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

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // nunjucks prefixes "(unknown path)" and splits position and reason over lines.
  return text
    .replace(/\(unknown path\)\s*/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

let sharedEnvironment: nunjucks.Environment | undefined;

/**
 * Like the resource-file environment: no loader (so no include/import of files), autoescape off
 * (the output is JSON, not HTML). Undefined values render empty rather than throw: a person with no
 * title must not dead-letter a whole batch; the `json` filter renders them as `null`.
 */
function payloadEnvironment(): nunjucks.Environment {
  sharedEnvironment ??= new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: false }).addFilter(
    'json',
    (value: unknown) => JSON.stringify(value ?? null),
  );
  return sharedEnvironment;
}

/** Property names that lead from data to functions (`"".constructor.constructor` is `Function`). */
const FORBIDDEN_KEY = /^(constructor|prototype|__.*)$/;

interface TemplateNode {
  typename: string;
  val?: TemplateNode;
  value?: unknown;
  lineno: number;
  colno: number;
  findAll(type: unknown): TemplateNode[];
}

/** The parts of nunjucks that the public typings leave out. */
interface NunjucksInternals {
  parser: { parse(src: string): TemplateNode };
  nodes: { LookupVal: unknown };
}

/**
 * Why `template` could reach beyond the batch variables, or undefined. nunjucks is not a sandbox:
 * a member lookup such as `x.constructor` reaches `Function` and from there the process. Lookups
 * must use literal keys (`change.fields["account.name"]`) that are not prototype plumbing.
 */
function templateAccessProblem(template: string): string | undefined {
  const { parser, nodes } = nunjucks as unknown as NunjucksInternals;
  for (const lookup of parser.parse(template).findAll(nodes.LookupVal)) {
    const key = lookup.val;
    const where = `[Line ${lookup.lineno + 1}, Column ${lookup.colno + 1}]`;
    if (key?.typename !== 'Literal')
      return `${where} a computed lookup (x[name]) is not allowed; use a literal key such as change.fields["email"], or loop with {% for name, value in change.fields %}`;
    if (FORBIDDEN_KEY.test(String(key.value))) return `${where} "${String(key.value)}" cannot be looked up`;
  }
  return undefined;
}
