/**
 * Transient failures while reading: an expired session is replaced by a new token once and the
 * refused page is asked again (no duplicates, no gaps); 5xx answers and dropped connections are
 * retried with backoff, a bounded number of times.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildQuery } from '../../../engine/vendors/salesforce/build-query';
import { SalesforceError } from '../../../engine/vendors/salesforce/salesforce-error';
import { readAll, rejectionOf } from '../../support/salesforce/read-all';
import { type SalesforceServer, startSalesforceServer } from '../../support/salesforce/salesforce-server';
import { sampleExport } from '../../support/salesforce/sample-export';
import { testClient } from '../../support/salesforce/test-client';

const ACCOUNTS = buildQuery({ object: 'Account', fields: ['Id', 'Name'], watermarkField: 'SystemModstamp' });

describe('Salesforce read recovery', () => {
  let server: SalesforceServer;
  beforeEach(async () => {
    server = await startSalesforceServer({ pageSize: 3 });
  });
  afterEach(() => server.close());

  it('recovers from a session that expires mid-paging with one new token, without duplicates or gaps', async () => {
    server.script.sessionCalls = 2; // pages 1 and 2 on the first token; page 3 is refused with 401
    const read = await readAll(testClient(server), ACCOUNTS, 'Account');

    expect(read.records.map(({ fields }) => fields.Id)).toEqual(sampleExport('Account').expected.map(({ Id }) => Id));
    expect(read.records.map(({ position }) => position.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(server.tokens).toHaveLength(2);
    const calls = server.requests.map((request) =>
      request.path === '/services/oauth2/token'
        ? 'token'
        : `${request.path.split('/').pop()} ${request.headers.authorization === `Bearer ${server.tokens[0]}` ? 1 : 2}`,
    );
    expect(calls).toEqual([
      'token',
      'query 1',
      '01gD00000000001AAA-3 1',
      '01gD00000000001AAA-6 1',
      'token',
      '01gD00000000001AAA-6 2',
      '01gD00000000001AAA-9 2',
    ]);
  });

  it('fails with INVALID_SESSION_ID when the new token is refused too, after exactly one renewal', async () => {
    server.script.sessionCalls = 0;
    const error = await rejectionOf(readAll(testClient(server), ACCOUNTS, 'Account'));

    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ errorCode: 'INVALID_SESSION_ID', status: 401 });
    expect(error.message).toContain("check the connected app's policies");
    expect(server.tokens).toHaveLength(2);
    expect(server.queryRequests()).toHaveLength(2);
  });

  it('retries a 503 and completes the read', async () => {
    const client = testClient(server);
    const first = client.queryRecords(ACCOUNTS, 'Account')[Symbol.asyncIterator]();
    await first.next(); // the first page is in: fail the next page once
    server.script.serverErrors = 1;
    const rest: unknown[] = [];
    for (let item = await first.next(); !item.done; item = await first.next()) rest.push(item.value);

    expect(rest).toHaveLength(9);
    const pages = server.queryRequests().map((request) => request.path.split('/').pop());
    expect(pages).toEqual([
      'query',
      '01gD00000000001AAA-3',
      '01gD00000000001AAA-3',
      '01gD00000000001AAA-6',
      '01gD00000000001AAA-9',
    ]);
  });

  it('retries a dropped connection', async () => {
    server.script.dropConnections = 2;
    const read = await readAll(testClient(server), ACCOUNTS, 'Account');

    expect(read.records).toHaveLength(10);
    expect(server.queryRequests()).toHaveLength(4 + 2);
  });

  it('gives up after the configured attempts on a lasting 5xx, naming the failure', async () => {
    server.script.serverErrors = 100;
    const error = await rejectionOf(readAll(testClient(server), ACCOUNTS, 'Account'));

    expect(error).toMatchObject({ errorCode: 'SERVER_UNAVAILABLE', status: 503 });
    expect(error.message).toContain('Salesforce query of Account failed (HTTP 503 SERVER_UNAVAILABLE)');
    expect(server.queryRequests()).toHaveLength(4);
  });

  it('reports an unreachable org as a network error after the attempts', async () => {
    const url = server.url;
    await server.close();
    const client = testClient({ ...server, url });
    const error = await rejectionOf(readAll(client, ACCOUNTS, 'Account'));

    expect(error).toMatchObject({ errorCode: 'NETWORK_ERROR', status: undefined });
    expect(error.message).toMatch(/^Salesforce token request failed: no answer after 4 attempts \(ECONNREFUSED/);
    expect(error.message).toContain('Check the instance URL');
    server = await startSalesforceServer(); // for afterEach
  });
});
