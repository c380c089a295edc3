/**
 * Just enough SOQL for the test org: `SELECT f1, f2 FROM Object [WHERE Field > literal]
 * [ORDER BY f [ASC|DESC], ...] [LIMIT n]`. What Salesforce would refuse as malformed is refused
 * the same way, with its error code, so the client's error handling meets real answers.
 */
export interface SoqlQuery {
  fields: string[];
  object: string;
  where?: { field: string; operator: '>' | '>='; literal: string };
  orderBy: Array<{ field: string; descending: boolean }>;
  limit?: number;
}

/** A refusal as the REST API words it. */
export interface SoqlError {
  errorCode: string;
  message: string;
}

const STATEMENT =
  /^\s*SELECT\s+(.+?)\s+FROM\s+(\S+?)(?:\s+WHERE\s+(.+?))?(?:\s+ORDER\s+BY\s+(.+?))?(?:\s+LIMIT\s+(\d+))?\s*$/is;
const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** The parsed query, or the error Salesforce gives for it. */
export function parseSoql(soql: string): SoqlQuery | SoqlError {
  const parts = STATEMENT.exec(soql);
  if (!parts) return malformed(soql, 'unexpected token: the query is not SELECT ... FROM ...');
  const [, select, object, where, order, limit] = parts;
  const fields = select!.split(',').map((field) => field.trim());
  const badField = fields.find((field) => !NAME.test(field));
  if (badField !== undefined) return malformed(soql, `unexpected token: '${badField}'`);
  if (!NAME.test(object!)) return malformed(soql, `unexpected token: '${object}'`);
  const query: SoqlQuery = { fields, object: object!, orderBy: [] };
  if (where !== undefined) {
    const filter = /^([A-Za-z_][A-Za-z0-9_]*)\s*(>=|>)\s*(\S+)$/.exec(where.trim());
    if (!filter) return malformed(soql, `unexpected token: '${where.trim().split(/\s+/).pop()}'`);
    query.where = { field: filter[1]!, operator: filter[2] as '>' | '>=', literal: filter[3]! };
  }
  for (const term of order === undefined ? [] : order.split(',')) {
    const sort = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\s+(ASC|DESC))?$/i.exec(term.trim());
    if (!sort) return malformed(soql, `unexpected token: '${term.trim()}'`);
    query.orderBy.push({ field: sort[1]!, descending: sort[2]?.toUpperCase() === 'DESC' });
  }
  if (limit !== undefined) query.limit = Number(limit);
  return query;
}

/** Whether `parsed` is a refusal. */
export function isSoqlError(parsed: SoqlQuery | SoqlError): parsed is SoqlError {
  return 'errorCode' in parsed;
}

function malformed(soql: string, problem: string): SoqlError {
  return { errorCode: 'MALFORMED_QUERY', message: `\n${soql}\n^\nERROR at Row:1:Column:1\n${problem}` };
}
