import { afterEach, describe, expect, it } from 'vitest';
import { fixtureJson, recordedPages } from '../../support/marketo/marketo-fixture-files';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { apiRequests, clientFor } from '../../support/marketo/marketo-test-client';

/** Every page `pages` yields, in order. */
async function allPages<T>(pages: AsyncIterable<T[]>): Promise<T[][]> {
  const read: T[][] = [];
  for await (const page of pages) read.push(page);
  return read;
}

describe('Marketo nextPageToken paging', () => {
  let server: MarketoServer;
  afterEach(() => server?.close());

  it('pages through static lists, sending each nextPageToken back, until a page comes without one', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);
    const recorded = recordedPages('lists_response.json');

    const pages = await allPages(client.pageThrough('/rest/v1/lists.json', { batchSize: 300 }));

    expect(pages).toEqual(recorded.map((page) => page.result));
    expect(apiRequests(server).map((request) => request.query)).toEqual([
      { batchSize: '300' },
      { batchSize: '300', nextPageToken: 'GWP55GLCVCZLPE6SS7OCG5IEXQ======' },
    ]);
  });

  it('pages through the leads of a list, keeping the query on every page', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    const pages = await allPages(
      client.pageThrough<{ id: number }>('/rest/v1/list/1007/leads.json', { fields: 'id,email' }),
    );

    expect(pages.map((page) => page.map((lead) => lead.id))).toEqual([[103280], [103281]]);
    expect(apiRequests(server).map((request) => [request.path, request.query])).toEqual([
      ['/rest/v1/list/1007/leads.json', { fields: 'id,email' }],
      ['/rest/v1/list/1007/leads.json', { fields: 'id,email', nextPageToken: 'z4MgsIiC5C======' }],
    ]);
  });

  it('follows moreResult over many pages and returns every list once', async () => {
    server = await startMarketoServer({ listPageSize: 5 });
    const { client } = clientFor(server);

    const pages = await allPages(client.pageThrough('/rest/v1/lists.json'));

    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 4]);
    expect(pages.flat()).toEqual(fixtureJson('list_reponse_full.json'));
  });

  it('resumes from a saved nextPageToken', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    const pages = await allPages(
      client.pageThrough('/rest/v1/lists.json', { nextPageToken: 'GWP55GLCVCZLPE6SS7OCG5IEXQ======' }),
    );

    expect(pages).toEqual([recordedPages('lists_response.json')[1]!.result]);
    expect(apiRequests(server)).toHaveLength(1);
  });

  it('fetches a page only when the previous one has been consumed', async () => {
    server = await startMarketoServer({ listPageSize: 5 });
    const { client } = clientFor(server);

    for await (const _page of client.pageThrough('/rest/v1/lists.json')) break;

    expect(apiRequests(server)).toHaveLength(1);
  });
});
