import type { DestinationSpec } from '../../schemas/generated/resource-types';
import type { ConnectorFactory } from './connector';
import { createFileConnector } from './connectors/file-connector';
import { createMarketoListConnector } from './connectors/marketo-list-connector';
import { createPostgresTableConnector } from './connectors/postgres-table-connector';
import { createWebhookConnector } from './connectors/webhook-connector';

/** The connector of each destination type. */
export const CONNECTORS: Readonly<Record<DestinationSpec['type'], ConnectorFactory>> = {
  'marketo-static-list': createMarketoListConnector,
  webhook: createWebhookConnector,
  file: createFileConnector,
  'postgres-table': createPostgresTableConnector,
};
