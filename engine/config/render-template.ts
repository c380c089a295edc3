import { compileTemplate } from '../template/compile-template';
import { templateFailureOf } from '../template/template-failure-of';
import type { Problem } from './problem';

/** What a resource file's template can read. */
export interface TemplateContext {
  /** Sandbox being validated, planned or applied (`dev`, `prod`...). */
  sandbox: string;
  /** The allow-listed environment (see `allowListedEnv`); other variables are invisible. */
  env: Readonly<Record<string, string>>;
  /** The project's variables for this sandbox (roster.yaml); absent without a project file. */
  vars?: Readonly<Record<string, string | number | boolean>>;
}

/** Prefix of a secret reference as it appears in rendered text and in stored specs. */
export const SECRET_REF_PREFIX = 'secret://';
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * The environment variables templates may read: those named in `ROSTER_ENV_ALLOW` (comma-separated)
 * and those starting with `ROSTER_VAR_`. Everything else stays out of reach, so a resource file cannot
 * print a credential by naming it.
 */
export function allowListedEnv(environment: NodeJS.ProcessEnv): Record<string, string> {
  const allowed = new Set((environment.ROSTER_ENV_ALLOW ?? '').split(',').map((name) => name.trim()));
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (value !== undefined && (allowed.has(name) || name.startsWith('ROSTER_VAR_'))) env[name] = value;
  }
  return env;
}

const TEMPLATE_MARKERS = /\{\{|\{%|\{#/;

/**
 * Renders nunjucks in a resource file, through the sandboxed renderer (`engine/template/`): the file
 * can read `sandbox`, `env` and `vars` (roster.yaml) and call `secret`, nothing else. `secret("NAME")` renders as the reference `secret://NAME`,
 * never as the value: values are read from the environment only when a job needs them.
 * Files without template markers are returned as they are (the common, fast case).
 */
export function renderTemplate(
  text: string,
  file: string,
  context: TemplateContext,
): { text: string } | { problem: Problem } {
  if (!TEMPLATE_MARKERS.test(text)) return { text };
  try {
    return {
      text: compileTemplate(text, { throwOnUndefined: true }).render({
        sandbox: context.sandbox,
        env: context.env,
        vars: context.vars ?? {},
        secret,
      }),
    };
  } catch (error) {
    return { problem: templateProblem(error, file, text) };
  }
}

function secret(name: unknown): string {
  if (typeof name !== 'string' || !SECRET_NAME.test(name)) {
    throw new Error(`secret() takes the name of an environment variable, such as secret("MARKETO_CLIENT_SECRET")`);
  }
  return `${SECRET_REF_PREFIX}${name}`;
}

function templateProblem(error: unknown, file: string, text: string): Problem {
  const { line, column, message: reason, refused } = templateFailureOf(error);
  let message = refused ? reason : `${reason}; fix the template expression`;
  if (/attempted to output null or undefined value/.test(reason)) {
    const expression = /\{\{(.*?)\}\}/
      .exec(text.split('\n')[line - 1]?.slice(Math.max(0, column - 1)) ?? '')?.[1]
      ?.trim();
    const what = expression ? `{{ ${expression} }}` : 'an expression';
    message = `${what} is undefined; set the variable and allow-list it (ROSTER_ENV_ALLOW=NAME, or name it ROSTER_VAR_*), or add | default(...)`;
  }
  return { code: 'CONFIG_TEMPLATE', file, line, column, pointer: '', message };
}
