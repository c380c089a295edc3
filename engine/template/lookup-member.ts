import { TemplateRefusal } from './template-refusal';

/**
 * Names that lead from data to code: `x.constructor.constructor` is `Function`, `__proto__` and
 * `__lookupGetter__` reach prototypes, `caller`/`callee`/`arguments` reach live frames.
 */
const FORBIDDEN_NAME = /^(constructor|prototype|caller|callee|arguments|__.*)$/;

const ALLOWED = 'templates read the fields of data (change.fields.email, items[0], name.length) and nothing else';

/** Whether `name` may never be read as a property, whatever holds it. */
export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAME.test(name);
}

/**
 * Whether `name` may not be a variable or a dict key. Scopes are searched for own properties only,
 * so this is for clear errors (and `{"__proto__": ...}`, which sets a dict literal's prototype);
 * `caller` stays a variable: `{% call %}` blocks pass it to macros.
 */
export function isForbiddenVariable(name: string): boolean {
  return name !== 'caller' && FORBIDDEN_NAME.test(name);
}

/**
 * `object.key` / `object[key]` in a template. Only the object's *own* properties are visible:
 * inherited ones (`toString`, `valueOf`, `__defineGetter__`, String and Array methods) are how
 * nunjucks templates usually escape, so they are absent here rather than filtered by name. Keys
 * must be strings or numbers: an object key would be converted by its own `toString`.
 */
export function lookupMember(object: unknown, key: unknown, SafeString: new (value: string) => object): unknown {
  const name = keyName(key, SafeString);
  if (isForbiddenName(name)) throw new TemplateRefusal(`"${name}" cannot be looked up; ${ALLOWED}`);
  if (object === undefined || object === null) return undefined;
  if (typeof object === 'function') {
    throw new TemplateRefusal(`"${name}" of a function cannot be looked up; call macros, do not read their properties`);
  }
  if (!Object.hasOwn(Object(object), name)) return undefined;
  const value = (object as Record<string, unknown>)[name];
  if (typeof value !== 'function') return value;
  // A function kept in data (a macro in a dict literal) is called with its holder, as nunjucks does.
  return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(object, args);
}

function keyName(key: unknown, SafeString: new (value: string) => object): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  if (key instanceof SafeString) return (key as { val: string }).val;
  throw new TemplateRefusal(`a ${key === null ? 'null' : typeof key} cannot be used as a key; ${ALLOWED}`);
}
