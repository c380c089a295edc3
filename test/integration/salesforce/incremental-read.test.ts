/**
 * Incremental reads by watermark: the stored watermark goes into `WHERE SystemModstamp > ...`, the
 * org answers only records changed since, and the next watermark is the latest SystemModstamp read.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildQuery } from '../../../engine/vendors/salesforce/build-query';
import { readAll } from '../../support/salesforce/read-all';
import { type SalesforceServer, startSalesforceServer } from '../../support/salesforce/salesforce-server';
import { API_VERSION, testClient } from '../../support/salesforce/test-client';

const FIELDS = ['Id', 'LastName', 'Email'];

describe('Salesforce incremental read', () => {
  let server: SalesforceServer;
  beforeEach(async () => {
    server = await startSalesforceServer({ pageSize: 3 });
  });
  afterEach(() => server.close());

  it('reads only records newer than the watermark, and the server got the expected WHERE clause', async () => {
    const client = testClient(server);
    const full = await readAll(
      client,
      buildQuery({ object: 'Contact', fields: FIELDS, watermarkField: 'SystemModstamp' }),
      'Contact',
    );
    // The seventh contact's stamp, as the API wrote it (+0000), stands for a read that stopped there.
    const since = full.records[6]?.fields.SystemModstamp as string;
    expect(since).toBe('2026-01-01T00:06:00.000+0000');

    const soql = buildQuery({ object: 'Contact', fields: FIELDS, watermarkField: 'SystemModstamp', since });
    const before = server.queryRequests().length;
    const newer = await readAll(client, soql, 'Contact', 'SystemModstamp', since);

    expect(server.queryRequests()[before]?.query.q).toBe(
      'SELECT Id, LastName, Email, SystemModstamp FROM Contact WHERE SystemModstamp > 2026-01-01T00:06:00.000Z ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(newer.records.map(({ fields }) => fields.Id)).toEqual(full.records.slice(7).map(({ fields }) => fields.Id));
    expect(newer.records.map(({ position }) => position.index)).toEqual([0, 1, 2]);
    expect(newer.watermark).toBe('2026-01-01T00:09:00.000Z');
    expect(newer.watermark).toBe(full.watermark);
  });

  it('reads nothing when nothing changed, and keeps the watermark', async () => {
    const client = testClient(server);
    const full = await readAll(
      client,
      buildQuery({ object: 'Lead', fields: FIELDS, watermarkField: 'SystemModstamp' }),
      'Lead',
    );
    const soql = buildQuery({
      object: 'Lead',
      fields: FIELDS,
      watermarkField: 'SystemModstamp',
      since: full.watermark,
    });
    const again = await readAll(client, soql, 'Lead', 'SystemModstamp', full.watermark);

    expect(again.records).toEqual([]);
    expect(again.watermark).toBe(full.watermark);
  });

  it('returns a record edited after the last read, with its new values, and moves the watermark to it', async () => {
    const client = testClient(server);
    const spec = { object: 'Contact', fields: FIELDS, watermarkField: 'SystemModstamp' } as const;
    const full = await readAll(client, buildQuery(spec), 'Contact');
    const oldest = full.records[0]?.fields.Id as string;
    server.org.update(oldest, { Email: 'rose.gonzalez@edge.example' }, Date.parse('2026-02-01T12:00:00Z'));

    const changed = await readAll(
      client,
      buildQuery({ ...spec, since: full.watermark }),
      'Contact',
      'SystemModstamp',
      full.watermark,
    );

    expect(changed.records.map(({ fields }) => [fields.Id, fields.Email])).toEqual([
      [oldest, 'rose.gonzalez@edge.example'],
    ]);
    expect(changed.watermark).toBe('2026-02-01T12:00:00.000Z');
  });

  it('orders by the watermark, so an edited record comes last in a full read', async () => {
    const client = testClient(server);
    const spec = { object: 'Account', fields: ['Id'], watermarkField: 'SystemModstamp' } as const;
    const first = await readAll(client, buildQuery(spec), 'Account');
    const edited = first.records[2]?.fields.Id as string;
    server.org.update(edited, {}, Date.parse('2026-03-01T00:00:00Z'));

    const second = await readAll(client, buildQuery(spec), 'Account');
    expect(second.records.map(({ fields }) => fields.Id).at(-1)).toBe(edited);
    expect(second.records).toHaveLength(10);
    expect(server.queryRequests().at(-1)?.path).toMatch(new RegExp(`^/services/data/${API_VERSION}/query/01g`));
  });
});
