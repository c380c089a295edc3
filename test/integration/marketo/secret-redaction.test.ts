import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { MarketoClient } from '../../../engine/vendors/marketo/marketo-client';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { clientFor, collect, FAST_TIMINGS, rejectionOf } from '../../support/marketo/marketo-test-client';

/** Everything an error lets out: message, stack, causes, and how it prints. */
function everythingIn(error: Error): string {
  return [error.message, error.stack, inspect(error, { depth: 5 }), JSON.stringify(error)].join('\n');
}

describe('Marketo secrets', () => {
  let server: MarketoServer;
  afterEach(() => server?.close());

  it('keeps the client secret out of the error when the credentials are refused', async () => {
    server = await startMarketoServer();
    const wrongSecret = 'wrong-secret-7c1e9d';
    const { client } = clientFor(server, { clientSecret: wrongSecret });

    const error = await rejectionOf(client.get('/rest/v1/activities/types.json'));

    expect(error.message).toBe(
      'Marketo GET /identity/oauth/token (access token) failed (HTTP 401: invalid_client: Bad client credentials): the credentials were refused: check the client id and secret (Admin > LaunchPoint > View Details)',
    );
    expect(everythingIn(error)).not.toContain(wrongSecret);
  });

  it('scrubs the secret from an error page that echoes the token URL, and from the retry log', async () => {
    server = await startMarketoServer({ faults: [{ on: 'identity', call: 1, answer: 'HTTP 503', repeat: true }] });
    const { client, logs } = clientFor(server, { maxAttempts: 2 });

    const error = await rejectionOf(client.get('/rest/v1/activities/types.json'));

    // The page quoted the request line, secret included; what the client lets out has it masked.
    expect(error.message).toContain('client_secret=[redacted]');
    expect(everythingIn(error)).not.toContain(server.clientSecret);
    expect(logs.join('\n')).not.toContain(server.clientSecret);
  });

  it('keeps the secret and the access token out of quota errors and logs', async () => {
    server = await startMarketoServer({
      faults: [
        { call: 1, answer: '606' },
        { call: 2, answer: '607', repeat: true },
      ],
    });
    const { client, logs } = clientFor(server);

    const error = await rejectionOf(
      collect(client.extractLeads({ fields: ['id'], since: '2026-01-01', until: '2026-01-02' })),
    );

    expect(error.message).toContain('daily quota reached');
    const token = server.identity.issued[0]!;
    for (const text of [everythingIn(error), logs.join('\n')]) {
      expect(text).not.toContain(server.clientSecret);
      expect(text).not.toContain(token);
    }
  });

  it('keeps the secret out of network errors when Marketo cannot be reached', async () => {
    server = await startMarketoServer();
    const closedUrl = server.url;
    await server.close();
    const secret = 'unreachable-secret-44aa01';
    const client = new MarketoClient({
      endpoint: closedUrl,
      clientId: 'id',
      clientSecret: secret,
      ...FAST_TIMINGS,
      maxAttempts: 2,
    });

    const error = await rejectionOf(client.get('/rest/v1/activities/types.json'));

    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(error.message).toMatch(
      /^Marketo GET \/identity\/oauth\/token \(access token\) failed \(no answer: fetch failed \(.*ECONNREFUSED.*\)\): gave up after 2 attempts/,
    );
    expect(everythingIn(error)).not.toContain(secret);
  });

  it('reports every invalid option at once, without the secret', () => {
    const secret = 'option-secret-913b';
    let error: Error | undefined;
    try {
      new MarketoClient({ endpoint: 'mktorest.com', clientId: '', clientSecret: secret, maxConcurrency: 0 });
    } catch (thrown) {
      error = thrown as Error;
    }

    expect(error?.message).toBe(
      'Marketo client options are invalid: endpoint must be an http(s) URL such as https://123-ABC-456.mktorest.com, got "mktorest.com"; clientId is empty; maxConcurrency must be a positive integer, got 0',
    );
    expect(everythingIn(error!)).not.toContain(secret);
  });
});
