import { afterEach, describe, expect, it } from 'vitest';
import { MarketoError } from '../../../engine/vendors/marketo/marketo-error';
import { fixtureBytes } from '../../support/marketo/marketo-fixture-files';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { apiRequests, clientFor, collect, rejectionOf } from '../../support/marketo/marketo-test-client';

const RANGE = { fields: ['id'], since: '2026-01-01T00:00:00Z', until: '2026-03-01T00:00:00Z' };

describe('Marketo quotas', () => {
  let server: MarketoServer;
  afterEach(() => server?.close());

  it('stops the run at a 607 with the daily quota error, without retrying', async () => {
    // The quota runs out at the first status poll and stays out.
    server = await startMarketoServer({ faults: [{ call: 3, answer: '607', repeat: true }] });
    const { client } = clientFor(server);

    const error = await rejectionOf(collect(client.extractLeads(RANGE)));

    expect(error).toBeInstanceOf(MarketoError);
    expect((error as MarketoError).code).toBe('607');
    expect(error.message).toContain('daily quota reached; resumes after the quota resets at midnight America/Chicago');
    expect(error.message).toMatch(
      /^Marketo GET \/bulk\/v1\/leads\/export\/[^/]+\/status\.json failed \(607 Daily quota reached\)/,
    );
    expect((error as MarketoError).requestId).toMatch(/#/);
    expect(apiRequests(server).map((request) => request.answered)).toEqual(['200', '200', '607']);
  });

  it('stops at a 1029 "export daily quota exceeded" with the export quota error', async () => {
    server = await startMarketoServer({ faults: [{ call: 1, answer: '1029 quota' }] });
    const { client } = clientFor(server);

    const error = (await rejectionOf(collect(client.extractLeads(RANGE)))) as MarketoError;

    expect(error.code).toBe('1029');
    expect(error.message).toContain('daily export quota reached');
    expect(error.message).toContain('resets at midnight America/Chicago');
    expect(apiRequests(server)).toHaveLength(1);
  });

  it('waits and enqueues again when the export queue is full (1029 "too many jobs in queue")', async () => {
    server = await startMarketoServer({ faults: [{ call: 2, answer: '1029 queue' }] });
    const { client, logs } = clientFor(server);

    const files = await collect(client.extractLeads({ ...RANGE, until: '2026-01-10T00:00:00Z' }));

    expect(files.map((file) => file.bytes)).toEqual([fixtureBytes('lead_extract1.csv')]);
    const enqueues = apiRequests(server).filter((request) => request.path.endsWith('/enqueue.json'));
    expect(enqueues.map((request) => request.answered)).toEqual(['1029', '200']);
    expect(logs.join('\n')).toContain('export queue full (1029)');
  });
});
