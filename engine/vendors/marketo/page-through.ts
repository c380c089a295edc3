import { MarketoError } from './marketo-error';
import type { MarketoTransport, Query } from './marketo-transport';

/**
 * The `result` arrays of every page of a `nextPageToken`-paged REST call (e.g. `/rest/v1/lists.json`,
 * `/rest/v1/list/{listId}/leads.json`), one array per page, fetching each page only when the
 * previous one has been consumed. Pass `query.nextPageToken` to resume from a saved token.
 *
 * When to stop differs by endpoint: some send `moreResult`, which decides; others (static lists,
 * leads by list) send a `nextPageToken` only while more pages follow, so its presence decides.
 */
export async function* pageThrough<T = Record<string, unknown>>(
  transport: MarketoTransport,
  path: string,
  query: Query = {},
): AsyncGenerator<T[], void, undefined> {
  let token = query.nextPageToken === undefined ? undefined : String(query.nextPageToken);
  for (;;) {
    const answer = await transport.callJson<T>('GET', path, { query: { ...query, nextPageToken: token } });
    const result = answer.result ?? [];
    yield result;
    const next = answer.nextPageToken;
    const more = answer.moreResult ?? (next !== undefined && result.length > 0);
    if (!more) return;
    if (next === undefined || next === token) {
      // Asking again without a new token would return the same page forever.
      throw new MarketoError(
        'BAD_ANSWER',
        `Marketo GET ${path} said more results follow but gave ${next === undefined ? 'no nextPageToken' : 'the same nextPageToken again'}; run again, and report requestId ${answer.requestId} to Marketo if it persists`,
        { requestId: answer.requestId },
      );
    }
    token = next;
  }
}
