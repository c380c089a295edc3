import { afterEach, describe, expect, it } from 'vitest';
import { fixtureJson } from '../../support/marketo/marketo-fixture-files';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { apiRequests, clientFor } from '../../support/marketo/marketo-test-client';

const TYPES = '/rest/v1/activities/types.json';

describe('Marketo limits and retries', () => {
  let server: MarketoServer;
  afterEach(() => server?.close());

  it('waits after a 606 rate-limit answer, then retries the call and succeeds', async () => {
    server = await startMarketoServer({ faults: [{ call: 1, answer: '606' }] });
    const { client, logs } = clientFor(server, { rateLimitWaitMs: 200 });

    const types = await client.get(TYPES);

    expect(types).toEqual(fixtureJson('activity_types.json'));
    const [refused, retried] = apiRequests(server);
    expect([refused?.answered, retried?.answered]).toEqual(['606', '200']);
    expect(retried!.receivedAt - refused!.receivedAt).toBeGreaterThanOrEqual(195);
    expect(logs.join('\n')).toContain(`Marketo GET ${TYPES}: rate limit (606); retrying in 200 ms`);
  });

  it('backs off after a 615 concurrency answer, then retries and succeeds', async () => {
    server = await startMarketoServer({ faults: [{ call: 1, answer: '615' }] });
    const { client } = clientFor(server);

    expect(await client.get(TYPES)).toHaveLength(5);
    expect(apiRequests(server).map((request) => request.answered)).toEqual(['615', '200']);
  });

  it('retries a 5xx answer and a dropped connection with back-off', async () => {
    server = await startMarketoServer({
      faults: [
        { call: 1, answer: 'HTTP 503' },
        { call: 2, answer: 'drop' },
      ],
    });
    const { client, logs } = clientFor(server);

    expect(await client.get(TYPES)).toHaveLength(5);
    expect(apiRequests(server).map((request) => request.answered)).toEqual(['503', 'drop', '200']);
    expect(logs).toHaveLength(2);
  });

  it('gives up on 5xx after maxAttempts with an error that says so', async () => {
    server = await startMarketoServer({ faults: [{ call: 1, answer: 'HTTP 500', repeat: true }] });
    const { client } = clientFor(server, { maxAttempts: 3 });

    await expect(client.get(TYPES)).rejects.toMatchObject({
      code: '500',
      message: expect.stringMatching(
        /^Marketo GET \/rest\/v1\/activities\/types\.json failed \(HTTP 500: .*\): gave up after 3 attempts; Marketo may be down; try again later$/,
      ),
    });
    expect(apiRequests(server)).toHaveLength(3);
  });

  it('never has more than 10 calls in flight nor 100 calls in a window, against a server that enforces both', async () => {
    // Marketo's 20 s window compressed to 1 s, on the server and in the client alike.
    server = await startMarketoServer({ limits: { windowMs: 1_000 }, latencyMs: 15 });
    const { client } = clientFor(server, { rateWindowMs: 1_000 });
    const started = Date.now();

    const answers = await Promise.all(Array.from({ length: 150 }, () => client.get(TYPES)));

    expect(answers.every((types) => types.length === 5)).toBe(true);
    expect(server.limitRejections).toEqual({ '606': 0, '615': 0 });
    expect(apiRequests(server)).toHaveLength(150);
    expect(server.maxInFlight()).toBe(10);
    expect(server.maxCallsInAnyWindow()).toBeLessThanOrEqual(100);
    // 150 calls cannot fit in one window: the client must have waited for the window to slide.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('is answered 615 by the same server when allowed more than 10 calls in flight (the server enforces it)', async () => {
    server = await startMarketoServer({ limits: { windowMs: 1_000 }, latencyMs: 15 });
    const { client } = clientFor(server, { rateWindowMs: 1_000, maxConcurrency: 30, maxAttempts: 2 });

    await Promise.allSettled(Array.from({ length: 60 }, () => client.get(TYPES)));

    expect(server.limitRejections['615']).toBeGreaterThan(0);
    expect(server.limitRejections['606']).toBe(0);
  });

  it('is answered 606 by the same server when allowed more than 100 calls in a window (the server enforces it)', async () => {
    server = await startMarketoServer({ limits: { windowMs: 1_000 }, latencyMs: 2 });
    const { client } = clientFor(server, {
      rateWindowMs: 1_000,
      callsPer20Seconds: 1_000,
      maxAttempts: 2,
      rateLimitWaitMs: 10,
    });

    const outcomes = await Promise.allSettled(Array.from({ length: 150 }, () => client.get(TYPES)));

    expect(server.limitRejections['606']).toBeGreaterThan(0);
    expect(server.maxCallsInAnyWindow()).toBe(100);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected').length).toBeGreaterThan(0);
  });
});
