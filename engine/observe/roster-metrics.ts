import type { Pool } from 'pg';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { LogEntry } from './create-logger';
import { type RuntimeFigures, readRuntimeFigures } from './read-runtime-figures';
import { registerDatabaseMetrics } from './register-database-metrics';
import { registerPoolMetrics } from './register-pool-metrics';

/** The Prometheus registry of one `roster run` process, and how it learns of the events it times. */
export interface RosterMetrics {
  registry: Registry;
  /** Times what the log line of an event reports (ingest, stitch, segment and delivery runs; delivered and pushed batches). */
  observe(entry: LogEntry): void;
}

export interface MetricsOptions {
  pool: Pool;
  sandbox: string;
  /** How long database figures are reused between scrapes; default 5 000 ms. */
  cacheMs?: number;
}

/** Log messages whose `milliseconds` field is a run of the given kind. */
const RUN_KINDS: Record<string, string> = {
  'source ingested': 'ingest',
  'identities stitched': 'stitch',
  'segment evaluated': 'segment',
  'destination delivered': 'delivery',
};

const SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * The metrics of `GET /metrics`. Totals (records ingested and quarantined, entries, exits, segment
 * sizes, outbox, queue depth) are read from the database at scrape time, so every process of a
 * sandbox reports the same figures the database holds (decision 52); durations are timed in this
 * process from the events it logs, so logs and histograms cannot disagree.
 */
export function createRosterMetrics(options: MetricsOptions): RosterMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const figures = cachedFigures(options);
  registerDatabaseMetrics(registry, figures);
  registerPoolMetrics(registry, options.pool);
  const runs = new Histogram({
    name: 'roster_run_duration_seconds',
    help: 'Duration of ingest, stitch, segment and delivery runs in this process.',
    labelNames: ['kind'],
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const batches = new Histogram({
    name: 'roster_delivery_batch_duration_seconds',
    help: 'Time to deliver one batch of changes to a destination, by outcome.',
    labelNames: ['destination', 'outcome'],
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const pushes = new Histogram({
    name: 'roster_push_batch_duration_seconds',
    help: 'Time to check and store one batch pushed to an http source, by source and status.',
    labelNames: ['source', 'status'],
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const observe = (entry: LogEntry) => {
    const ms = entry.milliseconds;
    if (typeof ms !== 'number' || typeof entry.msg !== 'string') return;
    const kind = RUN_KINDS[entry.msg];
    if (kind) runs.observe({ kind }, ms / 1000);
    if (entry.msg === 'batch delivered')
      batches.observe({ destination: String(entry.destination), outcome: String(entry.outcome) }, ms / 1000);
    if (entry.msg === 'batch pushed')
      pushes.observe({ source: String(entry.source), status: String(entry.status) }, ms / 1000);
  };
  return { registry, observe };
}

/** The figures of the last `cacheMs`, so several scrapers (or metrics) share one read. */
function cachedFigures(options: MetricsOptions): () => Promise<RuntimeFigures> {
  let last: { at: number; figures: Promise<RuntimeFigures> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > (options.cacheMs ?? 5000)) {
      const figures = readRuntimeFigures(options.pool, options.sandbox);
      // A failed read is not cached: the next scrape tries again.
      figures.catch(() => {
        last = undefined;
      });
      last = { at: now, figures };
    }
    return last.figures;
  };
}
