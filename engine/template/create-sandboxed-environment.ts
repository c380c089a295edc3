import * as nunjucks from 'nunjucks';
import { TEMPLATE_FILTER_NAMES, templateFilters } from './template-filters';
import { TemplateRefusal } from './template-refusal';

type Table = Record<string, unknown>;

/**
 * A nunjucks Environment with nothing a template did not ask for: no loader (`new Environment(null)`
 * would read `./views`), no globals (`range`, `cycler`, `joiner` are the classic ways to `Function`),
 * only the documented filters, the built-in tests, autoescape off (the output is YAML or JSON).
 * Every table is a null-prototype object, so `env.getFilter("constructor")` finds nothing.
 */
export function createSandboxedEnvironment(options: {
  throwOnUndefined: boolean;
  maxCharacters: number;
}): nunjucks.Environment {
  const environment = new nunjucks.Environment([], { autoescape: false, throwOnUndefined: options.throwOnUndefined });
  const open = environment as unknown as {
    globals: Table;
    filters: Table;
    tests: Table;
    getTemplate: unknown;
    getFilter: unknown;
  };
  const builtinTests = open.tests;
  open.globals = Object.create(null);
  open.filters = templateFilters(options.maxCharacters);
  open.tests = Object.assign(Object.create(null), builtinTests);
  open.getFilter = (name: string) => {
    const filter = open.filters[name];
    if (filter === undefined) {
      throw new TemplateRefusal(
        `"${name}" is not a filter templates can use; use one of ${TEMPLATE_FILTER_NAMES.join(', ')}`,
      );
    }
    return filter;
  };
  open.getTemplate = () => {
    throw new TemplateRefusal('templates cannot read other files; put the text in this file');
  };
  return environment;
}

/** Names of the tests (`x is defined`) a guarded template may use. */
export function testNames(environment: nunjucks.Environment): ReadonlySet<string> {
  return new Set(Object.keys((environment as unknown as { tests: Table }).tests));
}
