import { SalesforceError } from './salesforce-error';

/** One page of a REST query answer, checked. */
export interface QueryPage {
  /** Records matching the whole query, all pages together. */
  totalSize: number;
  /** This page's records, as Salesforce wrote them (`attributes` and nested relationships included). */
  records: unknown[];
  /** Path of the next page (`/services/data/v60.0/query/01gD0000002HU6KIAW-2000`); absent on the last page. */
  nextRecordsUrl?: string;
}

/**
 * `body` as a query page: `{ totalSize, done, records, nextRecordsUrl? }`. Throws a
 * `SalesforceError` `UNEXPECTED_RESPONSE` when it is not one, or when a page that is not the last
 * has no usable next-page path, since reading on would silently lose records.
 */
export function parseQueryPage(body: unknown, what: string): QueryPage {
  const page = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const { totalSize, done, records, nextRecordsUrl } = page;
  if (typeof done !== 'boolean' || !Array.isArray(records)) {
    throw unexpected(what, 'the answer has no "done" flag or "records" list');
  }
  const total = typeof totalSize === 'number' ? totalSize : records.length;
  if (done) return { totalSize: total, records };
  // The next page gets the bearer token, so it must stay on the API's own paths.
  if (typeof nextRecordsUrl !== 'string' || !nextRecordsUrl.startsWith('/services/data/')) {
    throw unexpected(
      what,
      `a page that is not the last has no valid nextRecordsUrl (${JSON.stringify(nextRecordsUrl)})`,
    );
  }
  return { totalSize: total, records, nextRecordsUrl };
}

function unexpected(what: string, problem: string): SalesforceError {
  return new SalesforceError(
    'UNEXPECTED_RESPONSE',
    200,
    `Salesforce ${what} failed: ${problem}. Check that instanceUrl is the org's URL and not a proxy or login page.`,
  );
}
