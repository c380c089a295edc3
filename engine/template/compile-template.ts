import * as nunjucks from 'nunjucks';
import { compileGuardedSource } from './compile-guarded-source';
import { createGuardedRuntime } from './create-guarded-runtime';
import { createSandboxedEnvironment, testNames } from './create-sandboxed-environment';
import { DEFAULT_TEMPLATE_LIMITS, type TemplateLimits } from './template-limits';

/** How a template is rendered; what it can read is the scope given to `render`. */
export interface TemplateOptions {
  /** Refuse `{{ x }}` when x is undefined (resource files) rather than render it empty (payloads). */
  throwOnUndefined: boolean;
  limits?: TemplateLimits;
}

/** A compiled template, renderable many times (a webhook payload renders once per batch). */
export interface SandboxedTemplate {
  /** Renders with exactly `scope` in reach. Throws nunjucks' located error; see `templateFailureOf`. */
  render(scope: Record<string, unknown>): string;
}

type RootFunction = (env: unknown, context: unknown, frame: unknown, runtime: unknown, cb: unknown) => void;

/**
 * Compiles `source` into a template that can only read `scope`, call the functions in it and its own
 * macros, and stays within `limits`. Every template Roster renders goes through here. Throws
 * nunjucks' located error when the source is refused or does not parse.
 */
export function compileTemplate(source: string, options: TemplateOptions): SandboxedTemplate {
  const limits = options.limits ?? DEFAULT_TEMPLATE_LIMITS;
  const { environment, tests } = sharedEnvironment(options.throwOnUndefined, limits.outputCharacters);
  const code = compileGuardedSource(source, { tests, throwOnUndefined: options.throwOnUndefined });
  // The same step as nunjucks' Template#_compile: the generated code is a function body.
  const compiled = new Function(code)() as { root: RootFunction } & Record<string, unknown>;
  const root = compiled.root;
  const guarded = {
    ...compiled,
    // nunjucks passes its module runtime and a plain Frame; each render gets a guarded pair instead.
    root: (env: unknown, context: unknown, _frame: unknown, _runtime: unknown, cb: unknown) => {
      const runtime = createGuardedRuntime(limits);
      const frame = new runtime.Frame();
      frame.topLevel = true;
      root(env, context, frame, runtime, cb);
    },
  };
  const template = new nunjucks.Template({ type: 'code', obj: guarded } as never, environment, undefined, true);
  return { render: (scope) => template.render(scope) };
}

const environments = new Map<string, { environment: nunjucks.Environment; tests: ReadonlySet<string> }>();

/** Environments hold no render state (each render gets its own runtime), so one per option set is shared. */
function sharedEnvironment(throwOnUndefined: boolean, maxCharacters: number) {
  const key = `${throwOnUndefined}:${maxCharacters}`;
  let shared = environments.get(key);
  if (shared === undefined) {
    const environment = createSandboxedEnvironment({ throwOnUndefined, maxCharacters });
    shared = { environment, tests: testNames(environment) };
    environments.set(key, shared);
  }
  return shared;
}
