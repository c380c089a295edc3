/**
 * A full read of each sample object from the local Salesforce API, three records a page, gives
 * exactly the records of the real sfdx export: same count (Opportunity's header says 10, the file
 * holds 9), same values, lookups as real record ids, positions counted across pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { querySalesforceItems } from '../../../engine/ingest/query-salesforce-items';
import { buildQuery } from '../../../engine/vendors/salesforce/build-query';
import { readAll } from '../../support/salesforce/read-all';
import { type SalesforceServer, startSalesforceServer } from '../../support/salesforce/salesforce-server';
import { sampleExport } from '../../support/salesforce/sample-export';
import { API_VERSION, testClient } from '../../support/salesforce/test-client';

const COUNTS = { Account: 10, Contact: 10, Lead: 10, Opportunity: 9 } as const;

describe('Salesforce full read', () => {
  let server: SalesforceServer;
  beforeAll(async () => {
    server = await startSalesforceServer({ pageSize: 3 });
  });
  afterAll(() => server.close());

  for (const [object, count] of Object.entries(COUNTS)) {
    it(`reads all ${count} ${object} records over ${Math.ceil(count / 3)} pages`, async () => {
      const sample = sampleExport(object);
      const soql = buildQuery({ object, fields: ['Id', ...sample.fields], watermarkField: 'SystemModstamp' });
      const before = server.queryRequests().length;
      const read = await readAll(testClient(server), soql, object);

      expect(read.bad).toEqual([]);
      expect(read.records).toHaveLength(count);
      const requests = server.queryRequests().slice(before);
      expect(requests).toHaveLength(Math.ceil(count / 3));
      expect(requests.slice(1).every((request) => /\/query\/01g\w{15}-\d+$/.test(request.path))).toBe(true);
      expect(read.records.map((record) => record.position)).toEqual(
        Array.from({ length: count }, (_, index) => ({ origin: object, index })),
      );
      // Records come in watermark order, which for the fresh org is the export's order.
      const withoutSystemFields = read.records.map(({ fields }) => {
        const { attributes, SystemModstamp, ...rest } = fields;
        expect(attributes).toEqual({
          type: object,
          url: `/services/data/${API_VERSION}/sobjects/${object}/${rest.Id}`,
        });
        expect(SystemModstamp).toMatch(/^2026-01-01T00:\d{2}:00\.000\+0000$/);
        return rest;
      });
      expect(withoutSystemFields).toEqual(sample.expected);
      expect(read.watermark).toBe(new Date(Date.parse('2026-01-01T00:00:00Z') + (count - 1) * 60_000).toISOString());
      expect(read.records.every((record) => record.bytes === Buffer.byteLength(JSON.stringify(record.fields)))).toBe(
        true,
      );
    });
  }

  it("keeps the export's header quirk: Opportunity declares 10 records and holds 9", () => {
    const opportunity = sampleExport('Opportunity');
    expect(opportunity.declaredSize).toBe(10);
    expect(opportunity.expected).toHaveLength(9);
  });

  it("points every contact's AccountId at a real account, and nests Account.Name as Salesforce does", async () => {
    const client = testClient(server);
    const accounts = await readAll(client, buildQuery({ object: 'Account', fields: ['Id', 'Name'] }), 'Account');
    const nameById = new Map(accounts.records.map(({ fields }) => [fields.Id, fields.Name]));
    const soql = buildQuery({ object: 'Contact', fields: ['Id', 'AccountId', 'Account.Name', 'LastName'] });
    const contacts = await readAll(client, soql, 'Contact');

    expect(contacts.records).toHaveLength(10);
    for (const { fields } of contacts.records) {
      expect(fields.AccountId).toMatch(/^001[A-Za-z0-9]{15}$/);
      expect(nameById.has(fields.AccountId)).toBe(true);
      expect(fields.Account).toEqual({
        attributes: { type: 'Account', url: `/services/data/${API_VERSION}/sobjects/Account/${fields.AccountId}` },
        Name: nameById.get(fields.AccountId),
      });
    }
    const rose = contacts.records.find(({ fields }) => fields.LastName === 'Gonzalez');
    expect(rose?.fields.Account).toMatchObject({ Name: 'Edge Communications' });
  });

  it('sends the SOQL url-encoded with the bearer token, after one client-credentials token request', async () => {
    const fresh = await startSalesforceServer({ pageSize: 3 });
    try {
      const soql = buildQuery({ object: 'Lead', fields: ['Id', 'Email'], watermarkField: 'SystemModstamp' });
      await readAll(testClient(fresh), soql, 'Lead');
      const [token, first, ...rest] = fresh.requests;
      expect(token?.method).toBe('POST');
      expect(token?.path).toBe('/services/oauth2/token');
      expect(token?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
        grant_type: 'client_credentials',
        client_id: fresh.script.clientId,
        client_secret: fresh.script.clientSecret,
      });
      expect(first?.path).toBe(`/services/data/${API_VERSION}/query`);
      expect(first?.query).toEqual({
        q: 'SELECT Id, Email, SystemModstamp FROM Lead ORDER BY SystemModstamp ASC, Id ASC',
      });
      expect(rest).toHaveLength(3);
      for (const request of [first, ...rest]) {
        expect(request?.headers.authorization).toBe(`Bearer ${fresh.tokens[0]}`);
      }
      expect(fresh.tokens).toHaveLength(1);
    } finally {
      await fresh.close();
    }
  });

  it('turns a record over the size limit into a bad record, keeping its position and the count', async () => {
    const soql = buildQuery({ object: 'Account', fields: ['Id', 'Name', 'Description'] });
    const items = [];
    for await (const item of querySalesforceItems(testClient(server), soql, 'Account', { maxRecordBytes: 300 }))
      items.push(item);

    expect(items).toHaveLength(10);
    const bad = items.flatMap((item) => ('bad' in item ? [item.bad] : []));
    // Only Edge Communications (index 0) and University of Arizona (index 7) have a Description that long.
    expect(bad.map((record) => record.position.index)).toEqual([0, 7]);
    for (const record of bad) {
      expect(record.reason).toMatch(/^record is \d+ bytes, over the 300-byte limit$/);
      expect(JSON.parse(record.raw ?? '')).toMatchObject({ attributes: { type: 'Account' } });
    }
    expect(items.map((item) => ('bad' in item ? item.bad.position.index : item.record.position.index))).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('answers the standard fields the export omits, as an org would', async () => {
    const soql = buildQuery({ object: 'Opportunity', fields: ['Id', 'StageName', 'IsClosed', 'IsWon', 'IsDeleted'] });
    const read = await readAll(testClient(server), soql, 'Opportunity');
    const won = read.records.find(({ fields }) => fields.StageName === 'Closed Won');
    const open = read.records.find(({ fields }) => fields.StageName === 'Perception Analysis');

    expect(won?.fields).toMatchObject({ IsClosed: true, IsWon: true, IsDeleted: false });
    expect(open?.fields).toMatchObject({ IsClosed: false, IsWon: false, IsDeleted: false });
  });
});
