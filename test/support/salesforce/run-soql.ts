import type { SoqlError, SoqlQuery } from './parse-soql';
import type { OrgRecord, SalesforceOrg } from './salesforce-org';

/** A SOQL datetime literal: unquoted, with a zone (`2026-01-01T00:00:00Z`, `...000+01:00`). */
const DATETIME_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The records `query` selects in `org`, shaped as the REST API returns them: `attributes` first,
 * then the selected fields in the query's order and canonical spelling (null when empty), and a
 * relationship field `Account.Name` as a nested `Account: { attributes, Name }`. Unknown objects
 * and fields get the org's errors (INVALID_TYPE, INVALID_FIELD).
 */
export function runSoql(org: SalesforceOrg, query: SoqlQuery, apiVersion: string): unknown[] | SoqlError {
  const object = org.objects().find((name) => name.toLowerCase() === query.object.toLowerCase());
  if (!object) {
    return { errorCode: 'INVALID_TYPE', message: `sObject type '${query.object}' is not supported.` };
  }
  for (const field of [...query.fields, ...query.orderBy.map((term) => term.field)]) {
    if (!resolveField(org, object, field)) return noSuchColumn(field, object);
  }
  let records = org.records(object);
  if (query.where) {
    const { field, operator, literal } = query.where;
    const canonical = resolveField(org, object, field);
    if (!canonical) return noSuchColumn(field, object);
    if (!DATETIME_LITERAL.test(literal)) {
      return {
        errorCode: 'INVALID_QUERY_FILTER_OPERATOR',
        message: `value of filter criterion for field '${field}' must be of type dateTime and should not be enclosed in quotes`,
      };
    }
    const since = Date.parse(literal);
    records = records.filter((record) => {
      const at = instant(record[canonical.join('.')]);
      return operator === '>' ? at > since : at >= since;
    });
  }
  records.sort((a, b) => compareBy(org, object, query, a, b));
  if (query.limit !== undefined) records = records.slice(0, query.limit);
  return records.map((record) => project(org, object, record, query.fields, apiVersion));
}

/** The field's canonical path (`['Account', 'Name']`), or undefined when the object has no such field. */
function resolveField(org: SalesforceOrg, object: string, field: string): string[] | undefined {
  const [head, ...rest] = field.split('.');
  if (rest.length === 0) {
    const name = org.fields(object).find((candidate) => candidate.toLowerCase() === head!.toLowerCase());
    return name === undefined ? undefined : [name];
  }
  // One level of lookup, through the only relationship the sample has: AccountId -> Account.
  if (head!.toLowerCase() !== 'account' || !org.fields(object).includes('AccountId') || rest.length !== 1)
    return undefined;
  const name = org.fields('Account').find((candidate) => candidate.toLowerCase() === rest[0]!.toLowerCase());
  return name === undefined ? undefined : ['Account', name];
}

function project(org: SalesforceOrg, object: string, record: OrgRecord, fields: string[], apiVersion: string): unknown {
  const shaped: Record<string, unknown> = { attributes: attributesOf(object, record.Id, apiVersion) };
  for (const field of fields) {
    const [name, related] = resolveField(org, object, field)!;
    if (related === undefined) {
      shaped[name!] = record[name!] ?? null;
      continue;
    }
    const account = typeof record.AccountId === 'string' ? org.find(record.AccountId)?.record : undefined;
    if (!account) {
      shaped.Account = null;
      continue;
    }
    const nested = (shaped.Account ?? { attributes: attributesOf('Account', account.Id, apiVersion) }) as Record<
      string,
      unknown
    >;
    nested[related] = account[related] ?? null;
    shaped.Account = nested;
  }
  return shaped;
}

function attributesOf(type: string, id: string, apiVersion: string): { type: string; url: string } {
  return { type, url: `/services/data/${apiVersion}/sobjects/${type}/${id}` };
}

function compareBy(org: SalesforceOrg, object: string, query: SoqlQuery, a: OrgRecord, b: OrgRecord): number {
  for (const term of query.orderBy) {
    const name = resolveField(org, object, term.field)!.join('.');
    const [x, y] = [String(a[name] ?? ''), String(b[name] ?? '')];
    if (x !== y) return (x < y ? -1 : 1) * (term.descending ? -1 : 1);
  }
  return 0;
}

/** A stored datetime (`...000+0000`) as milliseconds. */
function instant(value: unknown): number {
  return typeof value === 'string' ? Date.parse(value.replace(/\+0000$/, 'Z')) : Number.NaN;
}

function noSuchColumn(field: string, object: string): SoqlError {
  return {
    errorCode: 'INVALID_FIELD',
    message:
      `\nERROR at Row:1:Column:8\nNo such column '${field}' on entity '${object}'. If you are attempting to use a ` +
      "custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the " +
      'describe call for the appropriate names.',
  };
}
