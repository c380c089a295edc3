import { Client } from 'pg';
import type { ObjectMapping } from '../../schemas/generated/resource-types';
import { resolveSecret } from '../config/resolve-secret';
import type { AppliedSource } from '../runtime/registry/read-applied-config';
import { exceedsDepth, MAX_RECORD_DEPTH } from './exceeds-depth';
import type { ReadItem, ReadLimits } from './source-record';
import { SourceRunError } from './source-run-error';

const BATCH_ROWS = 5000;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * An object of a `postgres` source: its SQL `query` on the other database, read through a cursor
 * in a read-only transaction, incremental on the watermark column (`> last value`, ordered by it).
 * The query is the user's own SQL against their own database; Roster only wraps it, and the
 * watermark value is always a bind parameter.
 */
export async function* readPostgresObject(
  source: AppliedSource,
  object: ObjectMapping,
  limits: ReadLimits,
  since: string | undefined,
  env: NodeJS.ProcessEnv,
): AsyncGenerator<ReadItem> {
  const url = resolveSecret(source.spec.postgres!.url, env, `Source/${source.name} (postgres.url)`);
  const watermark = object.watermark;
  if (watermark !== undefined && !IDENTIFIER.test(watermark))
    throw new SourceRunError(
      `object ${object.name} of Source/${source.name}: watermark "${watermark}" must be a plain column name of the query's result`,
    );
  const filter =
    watermark === undefined
      ? ''
      : ` where ${quote(watermark)} ${since === undefined ? 'is not null' : '>= $1'} order by ${quote(watermark)}`;
  const client = new Client({ connectionString: url, application_name: 'roster-source' });
  await client.connect().catch((error: Error) => {
    throw new SourceRunError(
      `Source/${source.name} cannot connect to its database: ${error.message}; check postgres.url`,
    );
  });
  try {
    await client.query('begin transaction read only');
    await client.query(
      `declare roster_source cursor for select * from (${object.query}) as source_query${filter}`,
      since === undefined || watermark === undefined ? [] : [since],
    );
    let index = 0;
    for (;;) {
      const { rows } = await client.query<Record<string, unknown>>(`fetch ${BATCH_ROWS} from roster_source`);
      for (const row of rows) {
        const fields = Object.fromEntries(
          Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]),
        );
        const position = { origin: object.name, index: index++ };
        if (exceedsDepth(fields)) {
          const reason = `record nests objects or arrays more than ${MAX_RECORD_DEPTH} levels deep (a json column); flatten it in the query`;
          yield { bad: { position, reason } };
          continue;
        }
        const bytes = Buffer.byteLength(JSON.stringify(fields));
        if (bytes > limits.maxRecordBytes)
          yield { bad: { position, reason: `record is ${bytes} bytes, over the ${limits.maxRecordBytes}-byte limit` } };
        else yield { record: { fields, position, bytes } };
      }
      if (rows.length < BATCH_ROWS) break;
    }
    await client.query('commit');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}
