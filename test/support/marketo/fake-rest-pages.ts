import { fixtureJson, type RecordedPage, recordedPages } from './marketo-fixture-files';
import { errorBody, successBody } from './marketo-server-answers';

/**
 * The REST read endpoints of the fake Marketo, served from recorded answers:
 * - `GET /rest/v1/lists.json`: the two recorded pages of `lists_response.json`, or, with
 *   `listPageSize`, all 24 lists of `list_reponse_full.json` in pages of that size with `moreResult`;
 * - `GET /rest/v1/list/{listId}/leads.json`: the two recorded pages of `lead_by_list.json`;
 * - `GET /rest/v1/activities/types.json`: `activity_types.json` in one page.
 * Returns undefined for any other path.
 */
export function answerRestRead(path: string, query: Record<string, string>, listPageSize?: number): unknown {
  if (path === '/rest/v1/lists.json') {
    return listPageSize === undefined
      ? recordedPage('lists_response.json', query.nextPageToken)
      : slicedPage(query.nextPageToken, listPageSize);
  }
  if (/^\/rest\/v1\/list\/\d+\/leads\.json$/.test(path)) return recordedPage('lead_by_list.json', query.nextPageToken);
  if (path === '/rest/v1/activities/types.json') return successBody(fixtureJson<unknown[]>('activity_types.json'));
  return undefined;
}

/** The recorded page that follows the page whose `nextPageToken` is `token` (the first without one). */
function recordedPage(fixture: string, token: string | undefined): unknown {
  const pages: RecordedPage[] = recordedPages(fixture);
  const index = token === undefined ? 0 : pages.findIndex((_, i) => i > 0 && pages[i - 1]!.nextPageToken === token);
  if (index < 0) return errorBody('1003', `Invalid nextPageToken '${token}'`);
  return pages[index];
}

/** A page of `list_reponse_full.json`; the token encodes the offset, as opaque to the client as Marketo's. */
function slicedPage(token: string | undefined, size: number): unknown {
  const lists = fixtureJson<unknown[]>('list_reponse_full.json');
  const offset =
    token === undefined
      ? 0
      : Number(
          Buffer.from(token, 'base64')
            .toString('utf8')
            .replace(/^offset:/, ''),
        );
  if (!Number.isInteger(offset) || offset < 0 || offset >= lists.length)
    return errorBody('1003', `Invalid nextPageToken '${token}'`);
  const end = offset + size;
  const more = end < lists.length;
  const paging = more
    ? { moreResult: true, nextPageToken: Buffer.from(`offset:${end}`).toString('base64') }
    : { moreResult: false };
  return successBody(lists.slice(offset, end), paging);
}
