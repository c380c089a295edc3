import { afterEach, describe, expect, it } from 'vitest';
import { MarketoError } from '../../../engine/vendors/marketo/marketo-error';
import { fixtureBytes } from '../../support/marketo/marketo-fixture-files';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { apiRequests, clientFor, collect, readAll, rejectionOf } from '../../support/marketo/marketo-test-client';

const DAY_MS = 24 * 60 * 60 * 1000;
const LEAD_FIELDS = ['id', 'email', 'firstName', 'lastName', 'company', 'updatedAt'];

describe('Marketo bulk extract', () => {
  let server: MarketoServer;
  afterEach(() => server?.close());

  it('extracts 70 days of leads as three jobs of at most 31 days, polls each until Completed and delivers every file byte for byte', async () => {
    server = await startMarketoServer({ statusPollsBeforeDone: 3 });
    const { client } = clientFor(server);
    const since = new Date('2026-01-01T00:00:00Z');
    const until = new Date(since.getTime() + 70 * DAY_MS);

    const files = await collect(client.extractLeads({ fields: LEAD_FIELDS, since, until, windowDays: 31 }));

    const windows = [
      { startAt: '2026-01-01T00:00:00Z', endAt: '2026-02-01T00:00:00Z' },
      { startAt: '2026-02-01T00:00:00Z', endAt: '2026-03-04T00:00:00Z' },
      { startAt: '2026-03-04T00:00:00Z', endAt: '2026-03-12T00:00:00Z' },
    ];
    expect(files.map((file) => file.window)).toEqual(windows);
    // What the server received: one job per window, each filter within Marketo's 31 days.
    expect(server.bulk.jobs.map((job) => job.request)).toEqual(
      windows.map((window) => ({ fields: LEAD_FIELDS, format: 'CSV', filter: { updatedAt: window } })),
    );
    for (const { request } of server.bulk.jobs) {
      const { startAt, endAt } = request.filter!.updatedAt as { startAt: string; endAt: string };
      expect(Date.parse(endAt) - Date.parse(startAt)).toBeLessThanOrEqual(31 * DAY_MS);
    }
    // Three polls answered Queued/Processing, the fourth Completed.
    expect(server.bulk.jobs.map((job) => [job.statusPolls, job.status])).toEqual([
      [4, 'Completed'],
      [4, 'Completed'],
      [4, 'Completed'],
    ]);
    const expected = ['lead_extract1.csv', 'leads_extract2.csv', 'lead_extract1.csv'].map(fixtureBytes);
    expect(files.map((file) => file.bytes)).toEqual(expected);
  });

  it('runs each job as create, enqueue, status polls, then file, with the bearer token on every call', async () => {
    server = await startMarketoServer({ statusPollsBeforeDone: 2 });
    const { client } = clientFor(server);

    await collect(
      client.extractLeads({ fields: ['id'], since: '2026-05-01T00:00:00Z', until: '2026-05-10T00:00:00Z' }),
    );

    const [job] = server.bulk.jobs;
    const base = `/bulk/v1/leads/export/${job!.exportId}`;
    expect(apiRequests(server).map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /bulk/v1/leads/export/create.json',
      `POST ${base}/enqueue.json`,
      `GET ${base}/status.json`,
      `GET ${base}/status.json`,
      `GET ${base}/status.json`,
      `GET ${base}/file.json`,
    ]);
    const token = server.identity.issued[0];
    expect(apiRequests(server).every((request) => request.headers.authorization === `Bearer ${token}`)).toBe(true);
    expect(apiRequests(server).every((request) => !('access_token' in request.query))).toBe(true);
  });

  it('extracts activities by createdAt windows with the activity type filter, files intact', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    const files = await collect(
      client.extractActivities({
        since: '2026-01-01T00:00:00Z',
        until: '2026-02-10T00:00:00Z',
        windowDays: 20,
        activityTypeIds: [1, 12],
      }),
    );

    expect(server.bulk.jobs.map((job) => job.request.filter)).toEqual([
      { createdAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-21T00:00:00Z' }, activityTypeIds: [1, 12] },
      { createdAt: { startAt: '2026-01-21T00:00:00Z', endAt: '2026-02-10T00:00:00Z' }, activityTypeIds: [1, 12] },
    ]);
    expect(files.map((file) => file.bytes)).toEqual([
      fixtureBytes('activity_extract1.csv'),
      fixtureBytes('activity_extract2.csv'),
    ]);
    expect(files[0]!.bytes.toString('utf8').split('\n')[0]).toBe(
      'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes',
    );
  });

  it('extracts the members of one program as one file', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    const files = await collect(client.extractProgramMembers({ programId: 1001 }));

    expect(server.bulk.jobs.map((job) => [job.kind, job.request.filter])).toEqual([
      ['program/members', { programId: 1001 }],
    ]);
    expect(files.map((file) => [file.programId, file.bytes])).toEqual([
      [1001, fixtureBytes('program_members_extract.csv')],
    ]);
  });

  it('streams the file: the download holds a call place until the stream is read to its end', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    const iterator = client.extractLeads({
      fields: ['id'],
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-02T00:00:00Z',
    });
    const first = await iterator.next();
    if (first.done) throw new Error('expected one file');

    expect(client.limiter.active).toBe(1);
    expect(await readAll(first.value.csv)).toEqual(fixtureBytes('lead_extract1.csv'));
    expect(client.limiter.active).toBe(0);
    expect((await iterator.next()).done).toBe(true);
  });

  it('stops with the reason Marketo gave when a job fails', async () => {
    server = await startMarketoServer({ jobOutcome: 'Failed' });
    const { client } = clientFor(server);

    const error = await rejectionOf(
      collect(client.extractLeads({ fields: ['id'], since: '2026-01-01', until: '2026-01-05' })),
    );

    expect(error).toBeInstanceOf(MarketoError);
    expect((error as MarketoError).code).toBe('EXPORT_FAILED');
    expect(error.message).toMatch(
      /leads export job .+ failed: Export failed: internal error while writing the file; .*run the ingest again/,
    );
    expect(apiRequests(server).some((request) => request.path.endsWith('/file.json'))).toBe(false);
  });

  it('refuses windows longer than 31 days before calling Marketo', async () => {
    server = await startMarketoServer();
    const { client } = clientFor(server);

    const error = await rejectionOf(
      collect(client.extractLeads({ fields: ['id'], since: '2026-01-01', until: '2026-03-01', windowDays: 40 })),
    );

    expect((error as MarketoError).code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('windowDays must be more than 0 and at most 31');
    expect(server.requests).toEqual([]);
  });
});
