import type { Pool } from 'pg';
import type { DestinationSpec } from '../../schemas/generated/resource-types';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { ConnectorEnvironment, ConnectorFactory, DestinationConnector } from './connector';
import { createFileConnector } from './connectors/file-connector';
import { createMarketoListConnector } from './connectors/marketo-list-connector';
import { createPostgresTableConnector } from './connectors/postgres-table-connector';
import { createWebhookConnector } from './connectors/webhook-connector';
import { readCallsToday, recordCallsToday } from './destination-control';
import type { AppliedDestination } from './read-applied-destinations';

/** The connector of each destination type. */
export const CONNECTORS: Readonly<Record<DestinationSpec['type'], ConnectorFactory>> = {
  'marketo-static-list': createMarketoListConnector,
  webhook: createWebhookConnector,
  file: createFileConnector,
  'postgres-table': createPostgresTableConnector,
};

/**
 * The destination's connector, carrying over what earlier connectors spent of the vendor's daily
 * quota. Call under the destination's lock, and `closeConnector` when done.
 */
export async function buildConnector(
  pool: Pool,
  sandbox: string,
  destination: AppliedDestination,
  environment: ConnectorEnvironment,
): Promise<DestinationConnector> {
  const callsToday = await readCallsToday(pool, sandboxSchema(sandbox), destination.name);
  return CONNECTORS[destination.spec.type](
    { sandbox, name: destination.name, spec: destination.spec },
    callsToday ? { ...environment, callsToday } : environment,
  );
}

/** Records what the connector spent of the daily quota, then releases its connections. */
export async function closeConnector(
  pool: Pool,
  schema: string,
  destination: string,
  connector: DestinationConnector,
): Promise<void> {
  const spent = connector.callsToday?.();
  if (spent) await recordCallsToday(pool, schema, destination, spent).catch(() => undefined); // best effort, like closing
  await connector.close().catch(() => undefined); // best effort; delivery state is already recorded
}
