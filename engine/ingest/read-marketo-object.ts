import type { Pool } from 'pg';
import type { ObjectMapping } from '../../schemas/generated/resource-types';
import type { AttributeCatalog } from '../catalog/attribute-catalog';
import { resolveSecret } from '../config/resolve-secret';
import { countInstanceCall } from '../runtime/marketo/instance-quota';
import { marketoLimitsPool } from '../runtime/marketo/marketo-limits-pool';
import type { AppliedSource } from '../runtime/registry/read-applied-config';
import { chicagoDay } from '../vendors/marketo/chicago-midnight';
import { instanceCallGate } from '../vendors/marketo/instance-call-limiter';
import { MarketoClient } from '../vendors/marketo/marketo-client';
import { marketoInstanceOf } from '../vendors/marketo/marketo-instance';
import { compileMapping, sourceFieldsOf } from './compile-mapping';
import { readCsv } from './readers/read-csv';
import type { ReadItem, ReadLimits } from './source-record';
import { SourceRunError } from './source-run-error';

/**
 * An object of a `marketo` source through bulk extracts: leads by `updatedAt`, activities by
 * `createdAt`, in windows of at most 31 days from the last watermark (or `backfillDays` back on the
 * first run) to now; each extract file is parsed as Marketo writes it (`null` for empty values).
 */
export async function* readMarketoObject(
  source: AppliedSource,
  object: ObjectMapping,
  catalog: AttributeCatalog,
  limits: ReadLimits,
  since: string | undefined,
  context: { env: NodeJS.ProcessEnv; pool: Pool },
): AsyncGenerator<ReadItem> {
  const { env, pool } = context;
  const connection = source.spec.marketo!;
  const instance = marketoInstanceOf(connection.endpoint);
  const counts = marketoLimitsPool(pool, instance);
  const client = new MarketoClient({
    endpoint: connection.endpoint,
    ...(connection.identityEndpoint ? { identityEndpoint: connection.identityEndpoint } : {}),
    clientId: connection.clientId,
    clientSecret: resolveSecret(connection.clientSecret, env, `Source/${source.name} (marketo.clientSecret)`),
    maxConcurrency: connection.maxConcurrency ?? 10,
    ...(env.ROSTER_MARKETO_POLL_INTERVAL_MS ? { pollIntervalMs: Number(env.ROSTER_MARKETO_POLL_INTERVAL_MS) } : {}),
    // The instance's limits and daily quota are shared with its destinations and other sources
    // (decision 39); a source counts its calls without a quota of its own (Marketo answers 607).
    callGate: instanceCallGate(pool, connection.endpoint),
    beforeCall: async () => {
      await countInstanceCall(counts, { instance, day: chicagoDay(Date.now()), quota: null });
    },
  });
  const range = {
    since: since ?? new Date(Date.now() - (connection.backfillDays ?? 365) * 86_400_000).toISOString(),
    until: new Date().toISOString(),
    windowDays: connection.windowDays ?? 31,
  };
  const files =
    object.preset === 'marketo/leads'
      ? client.extractLeads({ ...range, fields: sourceFieldsOf(compileMapping(source, object, catalog)) })
      : object.preset === 'marketo/activities'
        ? client.extractActivities(range)
        : undefined;
  if (!files)
    throw new SourceRunError(
      `object ${object.name} of Source/${source.name}: a marketo source reads the presets marketo/leads and marketo/activities; read program members from bulk extract files with a file source`,
    );
  for await (const file of files) {
    yield* readCsv(file.csv, {
      origin: `${object.name} ${file.window.startAt}..${file.window.endAt}`,
      nullValue: 'null',
      limits,
    });
  }
}
