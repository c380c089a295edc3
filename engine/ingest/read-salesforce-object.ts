import type { ObjectMapping } from '../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { resolveSecret } from '../config/resolve-secret';
import type { AppliedSource } from '../runtime/registry/read-applied-config';
import { buildQuery } from '../vendors/salesforce/build-query';
import { SalesforceClient } from '../vendors/salesforce/salesforce-client';
import { compileMapping, sourceFieldsOf } from './compile-mapping';
import { querySalesforceItems } from './query-salesforce-items';
import type { ReadItem, ReadLimits } from './source-record';

/**
 * An object of a `salesforce` source through the REST query API: the object's own SOQL `query`
 * as written, or one built from the fields the mapping reads, incremental on the watermark
 * (`SystemModstamp` for presets) from the last run's value.
 */
export async function* readSalesforceObject(
  source: AppliedSource,
  object: ObjectMapping,
  catalog: AttributeCatalog,
  limits: ReadLimits,
  since: string | undefined,
  env: NodeJS.ProcessEnv,
): AsyncGenerator<ReadItem> {
  const connection = source.spec.salesforce!;
  const client = new SalesforceClient({
    instanceUrl: connection.instanceUrl,
    ...(connection.loginUrl ? { loginUrl: connection.loginUrl } : {}),
    clientId: connection.clientId,
    clientSecret: resolveSecret(connection.clientSecret, env, `Source/${source.name} (salesforce.clientSecret)`),
    apiVersion: connection.apiVersion ?? 'v60.0',
  });
  const mapping = compileMapping(source, object, catalog);
  const sObject = object.preset?.startsWith('salesforce/') ? object.preset.slice('salesforce/'.length) : object.name;
  const soql =
    object.query ??
    buildQuery({
      object: sObject,
      fields: sourceFieldsOf(mapping),
      ...(mapping.watermark ? { watermarkField: mapping.watermark } : {}),
      ...(since ? { since } : {}),
    });
  yield* querySalesforceItems(client, soql, sObject, limits);
}
