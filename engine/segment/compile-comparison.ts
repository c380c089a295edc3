import type { AttributeDefinition, AttributeType } from '../catalog/attribute-catalog';
import type { ComparisonNode } from './condition-ast';
import { durationToInterval, likeLiteral, type SqlBuilder } from './sql-builder';

const CAST: Record<AttributeType, string> = {
  string: 'text',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
};

/**
 * The SQL expression of an attribute on `alias`: a built-in column (snake_case of the catalog
 * name), or a custom field read from `attrs` and cast to its declared type. Names come only from
 * the catalog, which the condition was checked against.
 */
export function attributeSql(alias: string, attribute: AttributeDefinition): string {
  if (attribute.custom) return `(${alias}.attrs->>'${attribute.name.replace(/'/g, "''")}')::${CAST[attribute.type]}`;
  return `${alias}.${attribute.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

/**
 * One comparison as a two-valued predicate: a missing value makes it false (never NULL), so `not`
 * means what users expect. Strings compare case-insensitively where the catalog says so (email,
 * domain, roles); `contains`/`startsWith`/`endsWith` always ignore case.
 */
export function compileComparison(
  node: ComparisonNode,
  expression: string,
  sql: SqlBuilder,
  now: () => string,
): string {
  const { attribute, op, value } = node;
  const cast = CAST[attribute.type];
  const ci = attribute.type === 'string' && attribute.caseInsensitive === true;
  const left = ci ? `lower(${expression})` : expression;
  const one = (v: unknown) => (ci ? sql.param(String(v).toLowerCase(), cast) : sql.param(v, cast));
  const list = (vs: unknown[]) =>
    sql.param(
      vs.map((v) => (ci ? String(v).toLowerCase() : v)),
      `${cast}[]`,
    );
  const values = Array.isArray(value) ? value : [value];
  const predicate = (() => {
    switch (op) {
      case 'eq':
        return `${left} = ${one(value)}`;
      case 'neq':
        return `${left} <> ${one(value)}`;
      case 'in':
        return `${left} = any(${list(values)})`;
      case 'notIn':
        return `not (${left} = any(${list(values)}))`;
      case 'contains':
        return `${expression} ilike ${sql.param(`%${likeLiteral(String(value))}%`)} escape '\\'`;
      case 'startsWith':
        return `${expression} ilike ${sql.param(`${likeLiteral(String(value))}%`)} escape '\\'`;
      case 'endsWith':
        return `${expression} ilike ${sql.param(`%${likeLiteral(String(value))}`)} escape '\\'`;
      case 'matches':
        return `${expression} ${ci ? '~*' : '~'} ${sql.param(String(value))}`;
      case 'gt':
        return `${expression} > ${one(value)}`;
      case 'gte':
        return `${expression} >= ${one(value)}`;
      case 'lt':
      case 'before':
        return `${expression} < ${one(value)}`;
      case 'lte':
        return `${expression} <= ${one(value)}`;
      case 'after':
        return `${expression} > ${one(value)}`;
      case 'between':
        return `${expression} between ${one(values[0])} and ${one(values[1])}`;
      case 'within':
        return `${expression} between ${now()} - ${sql.param(durationToInterval(String(value)), 'interval')} and ${now()}`;
      case 'olderThan':
        return `${expression} < ${now()} - ${sql.param(durationToInterval(String(value)), 'interval')}`;
      case 'exists':
        return attribute.type === 'string' ? `nullif(${expression}, '') is not null` : `${expression} is not null`;
      case 'notExists':
        return attribute.type === 'string' ? `nullif(${expression}, '') is null` : `${expression} is null`;
      default:
        throw new Error(`operator ${op} reached the compiler unchecked`);
    }
  })();
  return op === 'notExists' ? predicate : `coalesce(${predicate}, false)`;
}
