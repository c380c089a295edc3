import { JOB_SCHEMA, sandboxQueues, tickQueue } from '../jobs/job-queues';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** Records taken in and quarantined by one source, over every run the database holds. */
export interface SourceFigures {
  source: string;
  ingested: number;
  quarantined: number;
}

/** A segment's entries and exits over every run, and its size after its latest successful run. */
export interface SegmentFigures {
  segment: string;
  entered: number;
  exited: number;
  size: number;
}

/** Changes waiting to be sent (pending or being sent) and given up on, per destination. */
export interface OutboxFigures {
  destination: string;
  pending: number;
  dead: number;
}

/** What `/metrics` reads from the database at scrape time. */
export interface RuntimeFigures {
  sources: SourceFigures[];
  segments: SegmentFigures[];
  outbox: OutboxFigures[];
  /** Jobs waiting (created or retrying) per queue; empty before pg-boss has created its schema. */
  queues: { queue: string; depth: number }[];
}

/** Reads the figures of one sandbox; four short aggregate queries. */
export async function readRuntimeFigures(db: Queryable, sandbox: string): Promise<RuntimeFigures> {
  const s = sandboxSchema(sandbox);
  const [sources, segments, outbox, queues] = await Promise.all([
    db.query<SourceFigures>(
      `select source, sum(records_written + records_unchanged)::float8 as ingested,
              sum(records_quarantined)::float8 as quarantined
         from ${s}.ingest_runs where status = 'succeeded' group by source order by source`,
    ),
    db.query<SegmentFigures>(
      `select segment, sum(entered)::float8 as entered, sum(exited)::float8 as exited,
              (array_agg(size order by run_id desc))[1]::float8 as size
         from ${s}.segment_runs where status = 'succeeded' group by segment order by segment`,
    ),
    db.query<OutboxFigures>(
      `select destination, count(*) filter (where status in ('pending', 'sending'))::float8 as pending,
              count(*) filter (where status = 'dead')::float8 as dead
         from ${s}.activation_outbox group by destination order by destination`,
    ),
    readQueueDepths(db, sandbox),
  ]);
  return { sources: sources.rows, segments: segments.rows, outbox: outbox.rows, queues };
}

/** pg-boss's own count (state before `active`), for the sandbox's queues, read by hand from its schema. */
async function readQueueDepths(db: Queryable, sandbox: string): Promise<{ queue: string; depth: number }[]> {
  const names = [...sandboxQueues(sandbox).map((q) => q.name), tickQueue(sandbox).name];
  const { rows: exists } = await db.query<{ table: string | null }>('select to_regclass($1)::text as "table"', [
    `${JOB_SCHEMA}.job`,
  ]);
  if (!exists[0]?.table) return [];
  const { rows } = await db.query<{ queue: string; depth: number }>(
    `select q as queue, (select count(*) from ${JOB_SCHEMA}.job j where j.name = q and j.state < 'active')::float8 as depth
       from unnest($1::text[]) as q order by q`,
    [names],
  );
  return rows;
}
