import { SalesforceClient, type SalesforceClientOptions } from '../../../engine/vendors/salesforce/salesforce-client';
import type { SalesforceServer } from './salesforce-server';

/** API version the tests speak; any `vNN.N` works with the test server. */
export const API_VERSION = 'v60.0';

/**
 * A client of `server` with its credentials, and retry delays of a few milliseconds so retried
 * failures do not slow the tests; `overrides` replace any option (a wrong secret, a custom fetch).
 */
export function testClient(
  server: SalesforceServer,
  overrides: Partial<SalesforceClientOptions> = {},
): SalesforceClient {
  return new SalesforceClient({
    instanceUrl: server.url,
    clientId: server.script.clientId,
    clientSecret: server.script.clientSecret,
    apiVersion: API_VERSION,
    retry: { maxAttempts: 4, retryBaseMs: 5, timeoutMs: 5_000 },
    ...overrides,
  });
}
