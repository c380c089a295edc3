import { isSoqlError, parseSoql } from './parse-soql';
import { runSoql } from './run-soql';
import type { SalesforceOrg } from './salesforce-org';
import type { RecordedRequest } from './salesforce-server';

/** Open query results by locator id, as Salesforce keeps them for `nextRecordsUrl`. */
export type QueryCursors = Map<string, { apiVersion: string; records: unknown[] }>;

/** An HTTP answer to send. */
export interface Answer {
  status: number;
  body: unknown;
}

const QUERY = /^\/services\/data\/(v\d+\.\d+)\/query\/?$/;
const NEXT_PAGE = /^\/services\/data\/(v\d+\.\d+)\/query\/(01g[A-Za-z0-9]{15})-(\d+)$/;

/**
 * The REST query resource: `GET .../query?q=SOQL` runs the query and keeps its result under a
 * locator (a snapshot, as Salesforce's cursor is), answering the first page;
 * `GET .../query/<locator>-<offset>` answers a later page. Errors come as `[{ message, errorCode }]`.
 */
export function answerQuery(
  org: SalesforceOrg,
  request: RecordedRequest,
  cursors: QueryCursors,
  pageSize: number,
): Answer {
  if (request.method !== 'GET') return fail(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${request.method}' not allowed.`);
  const first = QUERY.exec(request.path);
  if (first) {
    const soql = request.query.q;
    if (soql === undefined) return fail(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    const parsed = parseSoql(soql);
    if (isSoqlError(parsed)) return fail(400, parsed.errorCode, parsed.message);
    const records = runSoql(org, parsed, first[1]!);
    if (!Array.isArray(records)) return fail(400, records.errorCode, records.message);
    const locator = `01gD${String(cursors.size + 1).padStart(11, '0')}AAA`;
    cursors.set(locator, { apiVersion: first[1]!, records });
    return page(locator, cursors, 0, pageSize);
  }
  const next = NEXT_PAGE.exec(request.path);
  if (next && cursors.has(next[2]!)) return page(next[2]!, cursors, Number(next[3]), pageSize);
  if (next) return fail(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
  return fail(404, 'NOT_FOUND', 'The requested resource does not exist');
}

/** The page starting at `offset`, with `nextRecordsUrl` when records remain. */
function page(locator: string, cursors: QueryCursors, offset: number, pageSize: number): Answer {
  const { apiVersion, records } = cursors.get(locator)!;
  const end = offset + pageSize;
  const done = end >= records.length;
  const body: Record<string, unknown> = { totalSize: records.length, done, records: records.slice(offset, end) };
  if (!done) body.nextRecordsUrl = `/services/data/${apiVersion}/query/${locator}-${end}`;
  return { status: 200, body };
}

function fail(status: number, errorCode: string, message: string): Answer {
  return { status, body: [{ message, errorCode }] };
}
