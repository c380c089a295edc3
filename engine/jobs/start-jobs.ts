import type { Pool } from 'pg';
import PgBoss from 'pg-boss';
import { checkMirror } from '../activation/check-mirror';
import { batchLogEntry, drainLogEntry } from '../activation/delivery-log-entry';
import { readControl, releaseScheduledChanges } from '../activation/destination-control';
import { drainDestination } from '../activation/drain-destination';
import { readActivationConfig } from '../activation/read-applied-destinations';
import type { IngestResult } from '../ingest/ingest-objects';
import { runSourceIngest } from '../ingest/run-source-ingest';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { evaluateSegmentCycle } from '../segment/evaluate-segment-cycle';
import { readAppliedSegment } from '../segment/read-applied-segment';
import { type AppliedSegment, dependencyOrder, readAppliedSegments } from '../segment/read-applied-segments';
import { SegmentEvaluationError } from '../segment/segment-evaluation-error';
import { afterIngest } from './after-ingest';
import { firesInMinute } from './due-schedules';
import {
  type DestinationActivateJob,
  JOB_SCHEMA,
  jobQueue,
  type SegmentEvaluateJob,
  type SourceIngestJob,
  sandboxQueues,
  tickQueue,
} from './job-queues';

export interface JobsContext {
  /** Roster's pool: the workers' queries and pg-boss's own (its `db` option) share it. */
  pool: Pool;
  sandbox: string;
  env: NodeJS.ProcessEnv;
  /** Directory relative file destinations are resolved against. */
  cwd: string;
  log: (entry: Record<string, unknown>) => void;
}

export interface RunningJobs {
  boss: PgBoss;
  /** Stops fetching; in-flight jobs finish (or are released to another process when the timeout passes). */
  stop(): Promise<void>;
}

/**
 * Starts pg-boss (its own schema), creates every queue with its policy, and works them: the
 * minute tick enqueues due source ingests from the applied schedules, `source.ingest` runs a
 * source, then stitches and streams what it changed, `segment.evaluate` runs a scheduled segment.
 */
export async function startJobs(context: JobsContext): Promise<RunningJobs> {
  // pg-boss runs its queries on Roster's pool instead of a pool of its own: one set of connections
  // per process to size and watch (decision 59). Its multi-statement migrations pass no values, so
  // they run as one simple query on one connection, as on pg-boss's own pool.
  const boss = new PgBoss({
    db: { executeSql: (text, values) => context.pool.query(text, values) },
    schema: JOB_SCHEMA,
  });
  boss.on('error', (error) => context.log({ level: 'error', msg: 'job system error', error: error.message }));
  await boss.start();
  const tick = tickQueue(context.sandbox);
  for (const queue of sandboxQueues(context.sandbox)) {
    if (!(await boss.getQueue(queue.name))) await boss.createQueue(queue.name, queue).catch(() => undefined); // created by another process meanwhile
  }
  await boss.schedule(tick.name, '* * * * *', { sandbox: context.sandbox });
  await boss.work(tick.name, async () => {
    const now = new Date();
    await enqueueDueSources(boss, context, now);
    await enqueueDueSegments(boss, context, now);
    await enqueueDueDestinations(boss, context, now);
  });
  await boss.work<SourceIngestJob>(
    jobQueue('source.ingest', context.sandbox),
    { pollingIntervalSeconds: 2 },
    async ([job]) => {
      const { sandbox, source, trigger } = job!.data;
      const started = Date.now();
      const result = await runSourceIngest(context.pool, sandbox, source, { trigger, env: context.env });
      context.log(ingestLogEntry(source, result, Date.now() - started));
      if (result.status === 'failed') throw new Error(result.error);
      await logAfterIngest(context, sandbox, result);
    },
  );
  await workSegments(boss, context);
  await boss.work<DestinationActivateJob>(
    jobQueue('destination.activate', context.sandbox),
    { pollingIntervalSeconds: 2 },
    async ([job]) => {
      const { sandbox, destination } = job!.data;
      const started = Date.now();
      const result = await drainDestination({
        pool: context.pool,
        sandbox,
        destination,
        environment: { env: context.env, cwd: context.cwd, log: context.log },
        onBatch: (event) => context.log(batchLogEntry(event)),
      });
      context.log(drainLogEntry(result, Date.now() - started));
      // Another worker holds the destination: retry the job (pg-boss backs off) rather than leave the
      // released changes until the next cron tick.
      if (result.status === 'busy') throw new Error(`Destination/${destination} is being delivered by another worker`);
    },
  );
  return { boss, stop: () => boss.stop({ graceful: true, wait: true, timeout: 30_000 }) };
}

/**
 * Segments a worker takes per fetch and evaluates as one cycle (decision 74). Their event
 * conditions are counted in one scan of the events, whose cost depends on the distinct conditions,
 * not on the segments: the more segments share it the better. The bound keeps a cycle well inside
 * the jobs' 30-minute expiry (250 segments of the benchmark's mix take about 100 s at 1,000,000
 * persons and 10,000,000 events).
 */
const SEGMENTS_PER_CYCLE = 250;

/**
 * Works `segment.evaluate` jobs up to 250 at a time, as one cycle at one evaluation time, each
 * segment after the segments of the batch it references.
 * A segment that fails fails its own job (retried by the queue's policy); the others complete.
 * pg-boss sleeps the polling interval after every fetch unless the worker is notified, so after
 * each batch the handler notifies its own worker: queued segments then run back to back, and only
 * an empty fetch waits the 2 s (decision 57).
 */
async function workSegments(boss: PgBoss, context: JobsContext): Promise<void> {
  const queue = jobQueue('segment.evaluate', context.sandbox);
  let workerId: string | undefined;
  workerId = await boss.work<SegmentEvaluateJob>(
    queue,
    { pollingIntervalSeconds: 2, batchSize: SEGMENTS_PER_CYCLE },
    async (jobs) => {
      try {
        const failed = new Map<string, string>(); // segment -> why
        const fail = (segment: string, error: SegmentEvaluationError) => {
          context.log({ level: 'error', msg: 'segment failed', segment, error: error.message });
          failed.set(segment, error.message);
          return undefined;
        };
        // Each read is of its own segment (3.7 ms, against 57-160 ms for all of 1,000 applied), as
        // most ticks queue few. Segments removed since they were queued are skipped (their jobs complete).
        const segments: AppliedSegment[] = [];
        for (const { data } of jobs) {
          // A segment that no longer checks against the catalog fails its own job only.
          const segment = await readAppliedSegment(context.pool, context.sandbox, data.segment).catch((error) => {
            if (error instanceof SegmentEvaluationError) return fail(data.segment, error);
            throw error;
          });
          if (segment) segments.push(segment);
        }
        // pg-boss returns a batch in no set order: each segment after those it references.
        const ordered = dependencyOrder(segments);
        const cycle = await evaluateSegmentCycle(context.pool, context.sandbox, ordered, new Date(), {
          onResult: (result) => context.log({ level: 'info', msg: 'segment evaluated', ...result }),
          onFailure: (error, segment) => fail(segment.name, error),
        });
        if (cycle.sharedConditions > 0 || cycle.sharingError)
          context.log({
            level: cycle.sharingError ? 'warn' : 'info',
            msg: 'event conditions counted',
            segments: segments.length,
            ...cycle,
          });
        // pg-boss then completes only the jobs still active: these are retried by the queue's policy.
        for (const job of jobs) {
          const why = failed.get(job.data.segment);
          if (why !== undefined) await boss.fail(queue, job.id, { message: why });
        }
      } finally {
        // A full batch: more may be waiting, fetch again at once. A failed one too: its retries
        // wait their own delay, the others need not.
        if (workerId) boss.notifyWorker(workerId);
      }
    },
  );
}

/** The log line of one ingest run: its counts and duration; a warning when records were quarantined. */
function ingestLogEntry(source: string, result: IngestResult, milliseconds: number): Record<string, unknown> {
  const level = result.status === 'failed' ? 'error' : result.quarantined > 0 ? 'warn' : 'info';
  return { level, msg: 'source ingested', source, ...result, milliseconds };
}

/** Stitches and streams what an ingest run changed; one line for the stitch, one per streaming segment run. */
async function logAfterIngest(context: JobsContext, sandbox: string, result: IngestResult): Promise<void> {
  const started = Date.now();
  const after = await afterIngest(context.pool, sandbox, result);
  const { streamed, ...stitch } = after;
  context.log({
    level: after.failures.length > 0 ? 'error' : 'info',
    msg: 'identities stitched',
    runId: result.runId,
    ...stitch,
    milliseconds: Date.now() - started,
  });
  for (const run of streamed) context.log({ level: 'info', msg: 'segment evaluated', ...run });
}

/** Segments re-evaluate on their schedule (default hourly): batch ones fully, streaming ones for time-based exits. */
async function enqueueDueSegments(boss: PgBoss, context: JobsContext, now: Date): Promise<void> {
  for (const segment of await readAppliedSegments(context.pool, context.sandbox)) {
    if (!firesInMinute(segment.spec.schedule ?? '0 * * * *', now)) continue;
    await sendJob(
      boss,
      context,
      jobQueue('segment.evaluate', context.sandbox),
      { sandbox: context.sandbox, segment: segment.name } satisfies SegmentEvaluateJob,
      `${context.sandbox}:${segment.name}`,
    );
  }
}

/** `syncMode: mirror` destinations are read back and repaired hourly. */
const MIRROR_CHECK_SCHEDULE = '0 * * * *';

/**
 * Scheduled destinations deliver in batches when their cron fires: the changes written so far are
 * released, then a `destination.activate` job drains them (unscheduled destinations are drained by
 * the delivery service as changes come).
 */
async function enqueueDueDestinations(boss: PgBoss, context: JobsContext, now: Date): Promise<void> {
  const config = await readActivationConfig(context.pool, context.sandbox);
  for (const destination of config.destinations) {
    const readable = destination.spec.type === 'marketo-static-list' || destination.spec.type === 'postgres-table';
    const control = await readControl(context.pool, sandboxSchema(context.sandbox), destination.name);
    // A paused destination, or one that asked to wait (Marketo's quota), is not repaired either.
    const quiet = control.paused || (control.resumeAt !== null && control.resumeAt > now);
    if (readable && !quiet && destination.spec.syncMode === 'mirror' && firesInMinute(MIRROR_CHECK_SCHEDULE, now))
      await checkMirror(
        context.pool,
        { sandbox: context.sandbox, destination, config, repair: true },
        { env: context.env, cwd: context.cwd, log: context.log },
      ).then(
        (drifts) =>
          context.log({ level: 'info', msg: 'destination mirror checked', destination: destination.name, drifts }),
        (error: unknown) =>
          context.log({
            level: 'error',
            msg: 'destination mirror check failed',
            destination: destination.name,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
    if (!destination.spec.schedule || !firesInMinute(destination.spec.schedule, now)) continue;
    await releaseScheduledChanges(context.pool, sandboxSchema(context.sandbox), destination.name);
    await sendJob(
      boss,
      context,
      jobQueue('destination.activate', context.sandbox),
      { sandbox: context.sandbox, destination: destination.name } satisfies DestinationActivateJob,
      `${context.sandbox}:${destination.name}`,
    );
  }
}

async function enqueueDueSources(boss: PgBoss, context: JobsContext, now: Date): Promise<void> {
  const config = await readAppliedConfig(context.pool, context.sandbox);
  for (const source of config.sources.values()) {
    if (!source.spec.schedule || source.spec.type === 'http' || !firesInMinute(source.spec.schedule, now)) continue;
    const id = await sendJob(
      boss,
      context,
      jobQueue('source.ingest', context.sandbox),
      { sandbox: context.sandbox, source: source.name, trigger: 'schedule' } satisfies SourceIngestJob,
      `${context.sandbox}:${source.name}`,
    );
    context.log({
      level: 'info',
      msg: id ? 'source ingest scheduled' : 'source ingest already queued',
      source: source.name,
    });
  }
}

/**
 * Sends a job. pg-boss answers null both when a stately queue already holds one for the key (fine)
 * and when the queue does not exist (a bug): either way the log says so.
 */
async function sendJob(
  boss: PgBoss,
  context: JobsContext,
  queue: string,
  data: object,
  singletonKey: string,
): Promise<string | null> {
  const id = await boss.send(queue, data, { singletonKey });
  if (id === null)
    context.log({
      level: 'info',
      msg: 'job not queued (one is already waiting, or the queue is missing)',
      queue,
      singletonKey,
    });
  return id;
}
