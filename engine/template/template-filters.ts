import { lookupMember } from './lookup-member';
import { internals } from './nunjucks-internals';
import { sizeOf } from './size-of';
import { TemplateRefusal } from './template-refusal';

type Filter = (...args: unknown[]) => unknown;

/**
 * The filters Roster documents (README "Templates"). nunjucks' others are left out: those that take
 * an attribute path read properties unguarded (`sort`, `groupby`, `selectattr`, `sum`), and those
 * that pad or repeat (`center`, `indent`) build strings as long as a number asks.
 */
const BUILTIN_NAMES = [
  'abs',
  'capitalize',
  'default',
  'd',
  'dump',
  'escape',
  'e',
  'first',
  'float',
  'int',
  'last',
  'length',
  'lower',
  'reverse',
  'round',
  'safe',
  'string',
  'title',
  'trim',
  'truncate',
  'upper',
  'urlencode',
] as const;

/** Every filter name a template may use, sorted (for error messages and the README). */
export const TEMPLATE_FILTER_NAMES: readonly string[] = [...BUILTIN_NAMES, 'join', 'json', 'replace'].sort();

/** The filter table of a guarded environment: a null-prototype object, each filter size-checked. */
export function templateFilters(maxCharacters: number): Record<string, Filter> {
  // nunjucks' filter module is not re-exported by its index; its path is stable in the pinned version.
  const builtins = require('nunjucks/src/filters') as Record<string, Filter>;
  const filters: Record<string, Filter> = Object.create(null);
  for (const name of BUILTIN_NAMES) filters[name] = sizeChecked(name, builtins[name]!, maxCharacters);
  // `x | default(m)` may choose a macro to call; every other filter would turn a function into its source text.
  filters.default = sizeChecked('default', builtins.default!, maxCharacters, true);
  filters.d = filters.default;
  filters.join = sizeChecked('join', join, maxCharacters);
  filters.json = sizeChecked('json', (value: unknown) => JSON.stringify(value ?? null), maxCharacters);
  filters.replace = sizeChecked('replace', replaceChecked(builtins.replace!, maxCharacters), maxCharacters);
  return filters;
}

/** Refuses functions, and arguments or a result larger than a render may write; filters get no `this`. */
function sizeChecked(name: string, filter: Filter, maxCharacters: number, takesFunctions = false): Filter {
  return (...args: unknown[]) => {
    if (!takesFunctions && args.some((arg) => typeof arg === 'function')) {
      throw new TemplateRefusal(`a function cannot be passed to the ${name} filter; call it instead`);
    }
    refuseIfLarger(sizeOf(args, maxCharacters), maxCharacters, name);
    const result = filter.apply(undefined, args);
    refuseIfLarger(sizeOf(result, maxCharacters), maxCharacters, name);
    return result;
  };
}

function refuseIfLarger(size: number, maxCharacters: number, name: string): void {
  if (size > maxCharacters) {
    throw new TemplateRefusal(
      `the ${name} filter would handle more than ${maxCharacters} characters; build smaller values`,
    );
  }
}

/** `join(separator, attribute)`, the attribute read like `item.attribute` in a template. */
function join(value: unknown, separator: unknown = '', attribute?: unknown): string {
  if (!Array.isArray(value)) return String(value ?? '');
  const items =
    attribute === undefined ? value : value.map((item) => lookupMember(item, attribute, internals.runtime.SafeString));
  return items.join(String(separator ?? ''));
}

/** `replace` refuses before building a result that could pass the limit (`"" → x` inserts x everywhere). */
function replaceChecked(replace: Filter, maxCharacters: number): Filter {
  return (text: unknown, old: unknown, replacement: unknown, count?: unknown) => {
    const subject = String(text ?? '');
    const search = String(old ?? '');
    const places = search === '' ? subject.length + 1 : subject.split(search).length - 1;
    const worst = subject.length + places * String(replacement ?? '').length;
    refuseIfLarger(worst, maxCharacters, 'replace');
    return replace(text, old, replacement, count);
  };
}
