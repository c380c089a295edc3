import type { PoolClient } from 'pg';
import { withTransaction } from '../runtime/with-transaction';
import { compileEventCounts } from './compile-segment';
import type { EventNode } from './condition-ast';
import { eventConditionKey, type SharedEventCounts } from './shared-event-counts';

/**
 * Conditions counted per table: each is a column and a filter evaluated on every event row the
 * scan reads, and PostgreSQL allows 1,600 columns. More conditions than this take another scan.
 */
const CONDITIONS_PER_TABLE = 100;

/**
 * Counts, per person, the events of every distinct condition in `conditions` at `now`, in one scan
 * of the events per table of up to 100 conditions, into temporary tables of the client's session
 * (`pg_temp.roster_event_counts_N`, indexed by person and analysed, so each segment's statement
 * is planned on their real size). They live until `dropSharedEventCounts` or the session's end,
 * so every transaction the caller runs on this client can read them. The client must be in no
 * transaction: each table is built and committed in one of its own.
 */
export async function buildSharedEventCounts(
  client: PoolClient,
  schema: string,
  conditions: readonly EventNode[],
  now: Date,
  { conditionsPerTable = CONDITIONS_PER_TABLE }: { conditionsPerTable?: number } = {},
): Promise<SharedEventCounts> {
  const distinct = [...new Map(conditions.map((node) => [eventConditionKey(node), node])).values()];
  const columns = new Map<string, { table: string; column: string }>();
  try {
    for (let start = 0; start < distinct.length; start += conditionsPerTable) {
      const chunk = distinct.slice(start, start + conditionsPerTable);
      const table = `pg_temp.roster_event_counts_${start / conditionsPerTable}`;
      await countInto(client, table, compileEventCounts(schema, chunk, now));
      for (const [i, node] of chunk.entries()) columns.set(eventConditionKey(node), { table, column: `c${i}` });
    }
  } catch (error) {
    // The tables already built go too: nothing is left behind in a pooled session.
    await dropSharedEventCounts(client, { now, columns }).catch(() => undefined);
    throw error;
  }
  return { now, columns };
}

/** One table of counts, in a transaction of its own (the client must be in none). */
async function countInto(client: PoolClient, table: string, counts: { text: string; params: unknown[] }) {
  await withTransaction(client, async () => {
    // The same session settings as a batch run (`prepareRun`): dates in UTC, room to hash.
    await client.query("select set_config('TimeZone', 'UTC', true), set_config('work_mem', '64MB', true)");
    await client.query(`drop table if exists ${table}`);
    await client.query(`create temp table ${table.slice('pg_temp.'.length)} as ${counts.text}`, counts.params);
    await client.query(`alter table ${table} add primary key (person_id)`);
    await client.query(`analyze ${table}`);
  });
}

/** Drops the tables of `shared` (a pooled client goes back to the pool without them). */
export async function dropSharedEventCounts(client: PoolClient, shared: SharedEventCounts): Promise<void> {
  const tables = [...new Set([...shared.columns.values()].map((c) => c.table))];
  if (tables.length > 0) await client.query(`drop table if exists ${tables.join(', ')}`);
}
