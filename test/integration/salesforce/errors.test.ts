/**
 * Failures the user must act on: each is a `SalesforceError` whose message says what failed and
 * what to do, and none of them carries the client secret or an access token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildQuery } from '../../../engine/vendors/salesforce/build-query';
import { SalesforceClient } from '../../../engine/vendors/salesforce/salesforce-client';
import { SalesforceError } from '../../../engine/vendors/salesforce/salesforce-error';
import { readAll, rejectionOf } from '../../support/salesforce/read-all';
import { type SalesforceServer, startSalesforceServer } from '../../support/salesforce/salesforce-server';
import { API_VERSION, testClient } from '../../support/salesforce/test-client';

const ACCOUNTS = buildQuery({ object: 'Account', fields: ['Id', 'Name'] });

describe('Salesforce errors', () => {
  let server: SalesforceServer;
  const errors: Error[] = [];
  beforeEach(async () => {
    server = await startSalesforceServer({ pageSize: 3 });
  });
  afterEach(async () => {
    // Whatever failed, no secret and no token may show in its message, stack or cause's message.
    for (const error of errors.splice(0)) {
      const shown = [error.message, error.stack, error.cause instanceof Error ? error.cause.message : ''].join('\n');
      for (const secret of [server.script.clientSecret, 'wrong-secret-value', ...server.tokens]) {
        expect(shown).not.toContain(secret);
      }
    }
    await server.close();
  });

  async function failure(client: SalesforceClient, soql = ACCOUNTS, origin = 'Account'): Promise<SalesforceError> {
    const error = await rejectionOf(readAll(client, soql, origin));
    errors.push(error);
    expect(error).toBeInstanceOf(SalesforceError);
    return error as SalesforceError;
  }

  it('says to check the consumer key and secret when the token endpoint refuses the client', async () => {
    const error = await failure(testClient(server, { clientSecret: 'wrong-secret-value' }));

    expect(error).toMatchObject({ errorCode: 'invalid_client', status: 400 });
    expect(error.message).toBe(
      `Salesforce token request to ${server.url}/services/oauth2/token failed (HTTP 400 invalid_client: invalid client credentials); ` +
        "check the connected app's consumer key (clientId) and consumer secret (clientSecret), and that the secret reference resolves to the current secret.",
    );
    expect(server.queryRequests()).toEqual([]);
  });

  it('says to check the consumer key when the client id is unknown', async () => {
    const error = await failure(testClient(server, { clientId: 'not-a-consumer-key' }));
    expect(error).toMatchObject({ errorCode: 'invalid_client_id', status: 400 });
    expect(error.message).toContain("check the connected app's consumer key (clientId)");
  });

  it('fails clearly when the API request limit is reached, without retrying', async () => {
    server.script.requestLimitExceeded = true;
    const error = await failure(testClient(server));

    expect(error).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', status: 403 });
    expect(error.message).toContain('API request limit reached; retry after the rolling 24-hour limit frees up');
    expect(server.queryRequests()).toHaveLength(1);
  });

  it('names the unknown field the org refused', async () => {
    const soql = buildQuery({ object: 'Contact', fields: ['Id', 'Emial'] });
    const error = await failure(testClient(server), soql, 'Contact');

    expect(error).toMatchObject({ errorCode: 'INVALID_FIELD', status: 400 });
    expect(error.message).toMatch(
      /^Salesforce query of Contact failed \(HTTP 400 INVALID_FIELD\): .*No such column 'Emial' on entity 'Contact'/,
    );
    expect(error.message).not.toContain('\n');
    expect(server.queryRequests()).toHaveLength(1);
  });

  it('passes on MALFORMED_QUERY for SOQL the org cannot parse', async () => {
    const error = await failure(testClient(server), 'SELECT Id FROM Account WHERE', 'Account');
    expect(error).toMatchObject({ errorCode: 'MALFORMED_QUERY', status: 400 });
    expect(error.message).toContain('check the object and field names');
  });

  it('names an unknown object', async () => {
    const error = await failure(testClient(server), buildQuery({ object: 'Invoice__c', fields: ['Id'] }), 'Invoice__c');
    expect(error).toMatchObject({ errorCode: 'INVALID_TYPE', status: 400 });
    expect(error.message).toContain("sObject type 'Invoice__c' is not supported");
  });

  it('refuses injection in a field or object name in buildQuery, before any request', () => {
    const attempts = [
      { object: 'Contact', fields: ['Id', 'Name FROM User WHERE Id != null'] },
      { object: 'Contact', fields: ['Id, (SELECT Id FROM Cases)'] },
      { object: 'Contact WHERE IsDeleted = false', fields: ['Id'] },
      { object: 'Contact', fields: ['Id'], watermarkField: 'SystemModstamp > 2000-01-01T00:00:00Z OR Id' },
      {
        object: 'Contact',
        fields: ['Id'],
        watermarkField: 'SystemModstamp',
        since: '2026-01-01T00:00:00Z OR Id != null',
      },
      { object: 'Contact', fields: ['Id'], watermarkField: 'SystemModstamp', since: "'2026-01-01'" },
    ];
    for (const attempt of attempts) expect(() => buildQuery(attempt)).toThrow(/^Invalid (Salesforce|watermark)/);
    expect(() => buildQuery(attempts[0]!)).toThrow(
      'Invalid Salesforce field name in Contact "Name FROM User WHERE Id != null": use the API name (letters, digits, "_" and "." only, e.g. Account.Name).',
    );
    expect(server.requests).toEqual([]);
  });

  it('refuses to send the secret over plain http to another machine, and a malformed apiVersion', () => {
    const options = {
      instanceUrl: 'http://acme.my.salesforce.com',
      clientId: 'id',
      clientSecret: 's3cr3t',
      apiVersion: API_VERSION,
    };
    expect(() => new SalesforceClient(options)).toThrow(
      'Invalid Salesforce instanceUrl "http://acme.my.salesforce.com": use https:// (the client secret and tokens would travel in clear).',
    );
    expect(
      () => new SalesforceClient({ ...options, instanceUrl: 'https://acme.my.salesforce.com', apiVersion: '60' }),
    ).toThrow('Invalid Salesforce apiVersion "60": write it as v60.0.');
  });

  it('cuts the secret out of a message that would otherwise show it', async () => {
    const secret = server.script.clientSecret;
    // A proxy that echoes the request into its error page must not put the secret into our error.
    const echoing: typeof fetch = async (_url, init) =>
      new Response(JSON.stringify({ error: 'invalid_request', error_description: `bad body ${String(init?.body)}` }), {
        status: 400,
      });
    const error = await failure(testClient(server, { fetch: echoing }));

    expect(error.message).toContain(
      'bad body grant_type=client_credentials&client_id=roster-test-consumer-key&client_secret=[redacted]',
    );
    expect(error.message).not.toContain(secret);
  });

  it("masks a token it never received when an error quotes one, as Marketo's client does (one redactor)", async () => {
    // Someone else's token, echoed by a proxy's error page: not a secret this client knows.
    const quoting: typeof fetch = async () =>
      new Response(
        JSON.stringify({
          error: 'invalid_request',
          error_description: 'forwarded Authorization: Bearer 00Dxx!other.session and access_token=abc123xyz',
        }),
        { status: 400 },
      );
    const error = await failure(testClient(server, { fetch: quoting }));

    expect(error.message).toContain('forwarded Authorization: Bearer [redacted] and access_token=[redacted]');
    expect(error.message).not.toContain('other.session');
    expect(error.message).not.toContain('abc123xyz');
  });
});
