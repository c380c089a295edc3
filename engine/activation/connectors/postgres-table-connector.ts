import { Pool } from 'pg';
import { resolveSecret } from '../../config/resolve-secret';
import { withTransaction } from '../../runtime/with-transaction';
import { type ConnectorFactory, DeliveryError, destinationFields } from '../connector';
import { applyBatch } from './postgres-table/apply-batch';
import { ensureTable } from './postgres-table/ensure-table';
import { readTableDrift } from './postgres-table/read-table-drift';
import { repairTableDrift } from './postgres-table/repair-table-drift';
import { redactUrl, type TableTarget, tableDeliveryError } from './postgres-table/table-delivery-error';
import { type TableLayout, tableLayout } from './postgres-table/table-layout';

/**
 * The `postgres-table` destination (reverse ETL): a table in another database holding one row per
 * current member and segment, with the destination's fields as text columns. Each batch is applied
 * in one transaction; the table is created, or given new field columns, before the first batch.
 */
export const createPostgresTableConnector: ConnectorFactory = (target, environment) => {
  const block = target.spec.postgresTable;
  if (block === undefined)
    throw new DeliveryError(`Destination/${target.name} is of type postgres-table but has no "postgresTable" block`, {
      retryable: false,
    });
  const url = resolveSecret(block.url, environment.env, `Destination/${target.name} (postgresTable.url)`);
  const where: TableTarget = { destination: target.name, table: block.table, url };
  const layout = tableLayout(block.table, destinationFields(target.spec));
  const maxConcurrency = target.spec.rateLimit?.maxConcurrency ?? 2;
  const pool = new Pool({
    connectionString: url,
    max: maxConcurrency,
    application_name: 'roster-destination',
    connectionTimeoutMillis: 15_000,
  });
  // An idle connection that breaks emits 'error' on the pool; unhandled, it would end the process.
  pool.on('error', (error) =>
    environment.log({ destination: target.name, idleConnectionError: redactUrl(error.message, url) }),
  );
  let ready: Promise<TableLayout> | undefined;
  /** The layout, once the table is ready; retried on the next call when it failed. */
  const readyLayout = (): Promise<TableLayout> => {
    ready ??= prepareTable(pool, where, layout).catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  return {
    maxBatchSize: 5_000,
    maxConcurrency,
    async deliver(batch, context) {
      try {
        const table = await readyLayout();
        const applied = await withTransaction(pool, (client) => applyBatch(client, table, batch));
        context.log({ destination: target.name, segment: batch.segment, batchId: batch.batchId, ...applied });
      } catch (error) {
        throw tableDeliveryError(where, error);
      }
      return { unmatched: [] };
    },
    async mirror(binding, expected, options) {
      try {
        const table = await readyLayout();
        return await withTransaction(pool, async (client) => {
          const drift = await readTableDrift(client, table, binding.segment, expected);
          if (options.repair) await repairTableDrift(client, table, binding.segment, drift);
          return drift;
        });
      } catch (error) {
        throw tableDeliveryError(where, error);
      }
    },
    close: () => pool.end(),
  };
};

async function prepareTable(
  pool: Pool,
  where: TableTarget,
  layout: TableLayout | { problems: string[] },
): Promise<TableLayout> {
  if ('problems' in layout)
    throw new DeliveryError(
      `Destination/${where.destination} (table ${where.table}): ${layout.problems.join('; ')}; change postgresTable.fields`,
      { retryable: false },
    );
  await ensureTable(pool, layout);
  return layout;
}
