import { Counter, Gauge, type Registry } from 'prom-client';
import type { RuntimeFigures } from './read-runtime-figures';

/** One series read from the database: its one label, and its samples in the figures. */
interface DatabaseSeries {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  label: 'source' | 'segment' | 'destination' | 'queue';
  samples(figures: RuntimeFigures): [string, number][];
}

const SERIES: DatabaseSeries[] = [
  {
    name: 'roster_ingested_records_total',
    help: 'Records ingested (written or unchanged) by succeeded runs, by source.',
    type: 'counter',
    label: 'source',
    samples: (f) => f.sources.map((s) => [s.source, s.ingested]),
  },
  {
    name: 'roster_quarantined_records_total',
    help: 'Records quarantined by succeeded runs, by source.',
    type: 'counter',
    label: 'source',
    samples: (f) => f.sources.map((s) => [s.source, s.quarantined]),
  },
  {
    name: 'roster_segment_entries_total',
    help: 'Members that entered each segment.',
    type: 'counter',
    label: 'segment',
    samples: (f) => f.segments.map((s) => [s.segment, s.entered]),
  },
  {
    name: 'roster_segment_exits_total',
    help: 'Members that left each segment.',
    type: 'counter',
    label: 'segment',
    samples: (f) => f.segments.map((s) => [s.segment, s.exited]),
  },
  {
    name: 'roster_segment_size',
    help: 'Members of each segment after its latest succeeded run.',
    type: 'gauge',
    label: 'segment',
    samples: (f) => f.segments.map((s) => [s.segment, s.size]),
  },
  {
    name: 'roster_outbox_pending',
    help: 'Changes waiting to be delivered (pending or being sent), by destination.',
    type: 'gauge',
    label: 'destination',
    samples: (f) => f.outbox.map((o) => [o.destination, o.pending]),
  },
  {
    name: 'roster_outbox_dead',
    help: 'Changes given up on (dead), by destination.',
    type: 'gauge',
    label: 'destination',
    samples: (f) => f.outbox.map((o) => [o.destination, o.dead]),
  },
  {
    name: 'roster_job_queue_depth',
    help: "Jobs waiting (created or retrying) in each of the sandbox's pg-boss queues.",
    type: 'gauge',
    label: 'queue',
    samples: (f) => f.queues.map((q) => [q.queue, q.depth]),
  },
];

/**
 * Registers the series read from the database at scrape time. The totals are counters (they only
 * grow: runs are never deleted) set from the database's sums rather than counted in this process.
 */
export function registerDatabaseMetrics(registry: Registry, figures: () => Promise<RuntimeFigures>): void {
  for (const series of SERIES) {
    const config = { name: series.name, help: series.help, labelNames: [series.label], registers: [registry] };
    if (series.type === 'counter')
      new Counter({
        ...config,
        async collect() {
          const samples = series.samples(await figures());
          this.reset();
          for (const [label, value] of samples) this.inc({ [series.label]: label }, value);
        },
      });
    else
      new Gauge({
        ...config,
        async collect() {
          const samples = series.samples(await figures());
          this.reset();
          for (const [label, value] of samples) this.set({ [series.label]: label }, value);
        },
      });
  }
}
