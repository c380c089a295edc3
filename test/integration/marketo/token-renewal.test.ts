import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { MarketoError } from '../../../engine/vendors/marketo/marketo-error';
import { fixtureBytes } from '../../support/marketo/marketo-fixture-files';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { apiRequests, clientFor, collect, rejectionOf, tokenRequests } from '../../support/marketo/marketo-test-client';

describe('Marketo access token', () => {
  let server: MarketoServer;
  afterEach(() => server?.close());

  it('asks for a token with the client credentials grant on the identity endpoint', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    await client.get('/rest/v1/activities/types.json');

    expect(tokenRequests(server).map((request) => [request.method, request.query])).toEqual([
      ['GET', { grant_type: 'client_credentials', client_id: server.clientId, client_secret: server.clientSecret }],
    ]);
  });

  it('renews the token when it expires mid-run (602) and retries that call once with the new token', async () => {
    // The first token serves create, enqueue and two status polls; the third poll meets 602.
    server = await startMarketoServer({ tokenCallsPerToken: 4, statusPollsBeforeDone: 3 });
    const { client, logs } = clientFor(server);

    const files = await collect(client.extractLeads({ fields: ['id'], since: '2026-01-01', until: '2026-01-20' }));

    expect(files.map((file) => file.bytes)).toEqual([fixtureBytes('lead_extract1.csv')]);
    expect(tokenRequests(server)).toHaveLength(2);
    const [first, second] = server.identity.issued;
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const calls = apiRequests(server);
    const refused = calls.findIndex((request) => request.answered === '602');
    expect(refused).toBe(4);
    expect(calls[refused]!.headers.authorization).toBe(`Bearer ${first}`);
    // The same call again, with the new token, and everything after it too.
    expect(calls[refused + 1]!.path).toBe(calls[refused]!.path);
    expect(calls.slice(refused + 1).every((request) => request.headers.authorization === `Bearer ${second}`)).toBe(
      true,
    );
    expect(calls.slice(refused + 1).every((request) => request.answered === '200')).toBe(true);
    expect(logs.join('\n')).toContain('renewing the access token and retrying once');
  });

  it('renews the token when a call answers 601 (invalid) and the call then succeeds with the new token', async () => {
    server = await startMarketoServer({ faults: [{ call: 2, answer: '601' }] });
    const { client } = clientFor(server);

    await client.get('/rest/v1/activities/types.json');
    const types = await client.get('/rest/v1/activities/types.json');

    expect(types).toHaveLength(5);
    expect(tokenRequests(server)).toHaveLength(2);
    expect(apiRequests(server).map((request) => request.answered)).toEqual(['200', '601', '200']);
    expect(apiRequests(server)[2]!.headers.authorization).toBe(`Bearer ${server.identity.issued[1]}`);
  });

  it('gives up when a freshly issued token is refused too', async () => {
    server = await startMarketoServer({
      faults: [
        { call: 1, answer: '601' },
        { call: 2, answer: '601' },
      ],
    });
    const { client } = clientFor(server);

    const error = (await rejectionOf(client.get('/rest/v1/activities/types.json'))) as MarketoError;

    expect(error.code).toBe('601');
    expect(error.message).toContain('a freshly issued access token was refused too');
    expect(tokenRequests(server)).toHaveLength(2);
    expect(apiRequests(server)).toHaveLength(2);
  });

  it('renews the token before it expires, so no call meets 602', async () => {
    server = await startMarketoServer({ tokenLifetimeSeconds: 2 });
    const { client } = clientFor(server, { tokenRenewMarginMs: 1_500 });

    await client.get('/rest/v1/activities/types.json');
    await sleep(1_100);
    await client.get('/rest/v1/activities/types.json');

    expect(tokenRequests(server)).toHaveLength(2);
    expect(apiRequests(server).map((request) => request.answered)).toEqual(['200', '200']);
  });

  it('shares one renewal among concurrent calls refused together', async () => {
    const expiredTogether = [2, 3, 4, 5, 6].map((call) => ({ call, answer: '602' as const }));
    server = await startMarketoServer({ faults: expiredTogether, latencyMs: 20 });
    const { client } = clientFor(server);

    await client.get('/rest/v1/activities/types.json');
    await Promise.all(Array.from({ length: 5 }, () => client.get('/rest/v1/activities/types.json')));

    expect(apiRequests(server).filter((request) => request.answered === '602')).toHaveLength(5);
    expect(tokenRequests(server)).toHaveLength(2);
    expect(
      apiRequests(server)
        .slice(6)
        .every((request) => request.answered === '200'),
    ).toBe(true);
  });
});
