import type { Pool } from 'pg';
import type { DestinationSpec } from '../../schemas/generated/resource-types';
import type { ConnectorEnvironment, ConnectorFactory, DestinationConnector } from './connector';
import { createFileConnector } from './connectors/file-connector';
import { createMarketoListConnector } from './connectors/marketo-list-connector';
import { createPostgresTableConnector } from './connectors/postgres-table-connector';
import { createWebhookConnector } from './connectors/webhook-connector';
import type { AppliedDestination } from './read-applied-destinations';

/** The connector of each destination type. */
export const CONNECTORS: Readonly<Record<DestinationSpec['type'], ConnectorFactory>> = {
  'marketo-static-list': createMarketoListConnector,
  webhook: createWebhookConnector,
  file: createFileConnector,
  'postgres-table': createPostgresTableConnector,
};

/** The destination's connector. Call under the destination's lock, and `closeConnector` when done. */
export async function buildConnector(
  pool: Pool,
  sandbox: string,
  destination: AppliedDestination,
  environment: ConnectorEnvironment,
): Promise<DestinationConnector> {
  return CONNECTORS[destination.spec.type](
    { sandbox, name: destination.name, spec: destination.spec },
    {
      ...environment,
      pool,
    },
  );
}

/** Releases the connector's connections. */
export async function closeConnector(connector: DestinationConnector): Promise<void> {
  await connector.close().catch(() => undefined); // best effort; delivery state is already recorded
}
