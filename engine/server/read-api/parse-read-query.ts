import { ISO_TIME_ALLOWED, parseIsoTime } from '../../util/parse-iso-time';
/** The query parameters of the read API, parsed. */
export interface ReadQuery {
  limit?: number;
  offset?: number;
  asOf?: Date;
  email?: string;
  identity?: { namespace: string; value: string };
}

export type ReadQueryParameter = keyof ReadQuery;

interface ParameterRule<T> {
  parse: (raw: string) => T | undefined;
  /** What the parameter must be, as the 400 message says it. */
  allowed: string;
}

const RULES: { [K in ReadQueryParameter]-?: ParameterRule<NonNullable<ReadQuery[K]>> } = {
  limit: { parse: (raw) => integerIn(raw, 1, 1000), allowed: 'an integer from 1 to 1000' },
  offset: { parse: (raw) => integerIn(raw, 0, Number.MAX_SAFE_INTEGER), allowed: 'an integer >= 0' },
  asOf: {
    parse: parseIsoTime,
    allowed: `${ISO_TIME_ALLOWED} (write a + as %2B)`,
  },
  email: { parse: (raw) => (isText(raw) ? raw : undefined), allowed: 'an email address (text without %00)' },
  identity: {
    parse: (raw) => (isText(raw) ? parseIdentity(raw) : undefined),
    allowed: 'namespace:value, e.g. crmContactId:0038c000037xS9YAAU (text without %00)',
  },
};

/**
 * The route's query parameters, checked: each at most once, each one the route `accepts`, each
 * well-formed. Every problem is reported, not only the first.
 */
export function parseReadQuery(
  search: URLSearchParams,
  accepts: readonly ReadQueryParameter[],
): { query: ReadQuery } | { problems: string[] } {
  const problems: string[] = [];
  const query: Record<string, unknown> = {};
  for (const name of new Set(search.keys())) {
    const values = search.getAll(name);
    const parameter = accepts.find((p) => p === name);
    if (parameter === undefined) {
      const accepted = accepts.length > 0 ? `accepts ${accepts.join(', ')}` : 'accepts no query parameters';
      problems.push(`unknown query parameter "${name}"; this route ${accepted}`);
    } else if (values.length > 1) problems.push(`${name} is given ${values.length} times; give it once`);
    else {
      const value = RULES[parameter].parse(values[0]!);
      if (value === undefined) problems.push(`${name} "${values[0]}" must be ${RULES[parameter].allowed}`);
      else query[name] = value;
    }
  }
  return problems.length > 0 ? { problems } : { query: query as ReadQuery };
}

function integerIn(raw: string, min: number, max: number): number | undefined {
  if (!/^\d{1,16}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

/** Non-blank text PostgreSQL can hold: no NUL (`%00` decodes to one, and text parameters cannot carry it). */
function isText(raw: string): boolean {
  return raw.trim() !== '' && !raw.includes('\u0000');
}

function parseIdentity(raw: string): { namespace: string; value: string } | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0 || colon === raw.length - 1) return undefined;
  return { namespace: raw.slice(0, colon), value: raw.slice(colon + 1) };
}
