import type { Pool } from 'pg';
import PgBoss from 'pg-boss';
import { runStitch } from '../identity/run-stitch';
import { runSourceIngest } from '../ingest/run-source-ingest';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { evaluateSegment } from '../segment/evaluate-segment';
import { evaluateStreamingForRun } from '../segment/evaluate-streaming';
import { readAppliedSegments } from '../segment/read-applied-segments';
import { firesInMinute } from './due-schedules';
import {
  JOB_SCHEMA,
  QUEUES,
  type SegmentEvaluateJob,
  type SourceIngestJob,
  type StitchJob,
  tickQueue,
} from './job-queues';

export interface JobsContext {
  url: string;
  pool: Pool;
  sandbox: string;
  env: NodeJS.ProcessEnv;
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
 * source and asks for stitching when it wrote something, `identity.stitch` stitches the sandbox.
 */
export async function startJobs(context: JobsContext): Promise<RunningJobs> {
  const boss = new PgBoss({
    connectionString: context.url,
    schema: JOB_SCHEMA,
    max: 4,
    application_name: 'roster-jobs',
  });
  boss.on('error', (error) => context.log({ level: 'error', msg: 'job system error', error: error.message }));
  await boss.start();
  const tick = tickQueue(context.sandbox);
  for (const queue of [...QUEUES, tick]) {
    if (!(await boss.getQueue(queue.name))) await boss.createQueue(queue.name, queue).catch(() => undefined); // created by another process meanwhile
  }
  await boss.schedule(tick.name, '* * * * *', { sandbox: context.sandbox });
  await boss.work(tick.name, async () => {
    const now = new Date();
    await enqueueDueSources(boss, context, now);
    await enqueueDueSegments(boss, context, now);
  });
  await boss.work<SourceIngestJob>('source.ingest', { pollingIntervalSeconds: 2 }, async ([job]) => {
    const { sandbox, source, trigger } = job!.data;
    const result = await runSourceIngest(context.pool, sandbox, source, { trigger, env: context.env });
    context.log({
      level: result.status === 'succeeded' ? 'info' : 'error',
      msg: 'source ingested',
      sandbox,
      source,
      ...result,
    });
    if (result.status === 'failed') throw new Error(result.error);
    if (result.written > 0 || result.deleted > 0) {
      // Stitch now (incremental: only what changed), then stream the change into streaming segments.
      context.log({
        level: 'info',
        msg: 'identities stitched',
        sandbox,
        results: await runStitch(context.pool, sandbox),
      });
      await evaluateStreamingForRun(context.pool, sandbox, result.runId);
    }
  });
  await boss.work<StitchJob>('identity.stitch', { pollingIntervalSeconds: 2 }, async ([job]) => {
    const results = await runStitch(context.pool, job!.data.sandbox);
    context.log({ level: 'info', msg: 'identities stitched', sandbox: job!.data.sandbox, results });
  });
  await boss.work<SegmentEvaluateJob>('segment.evaluate', { pollingIntervalSeconds: 2 }, async ([job]) => {
    const { sandbox, segment: name } = job!.data;
    const segment = (await readAppliedSegments(context.pool, sandbox)).find((s) => s.name === name);
    if (!segment) return; // removed since it was scheduled
    const result = await evaluateSegment(context.pool, sandbox, segment, new Date());
    context.log({ level: 'info', msg: 'segment evaluated', sandbox, ...result });
  });
  return { boss, stop: () => boss.stop({ graceful: true, wait: true, timeout: 30_000 }) };
}

/** Sends a job; pg-boss answers null (not an error) when a stately queue already has one queued. */
export async function send(boss: PgBoss, queue: string, data: object, singletonKey: string): Promise<string | null> {
  return boss.send(queue, data, { singletonKey });
}

/** Segments re-evaluate on their schedule (default hourly): batch ones fully, streaming ones for time-based exits. */
async function enqueueDueSegments(boss: PgBoss, context: JobsContext, now: Date): Promise<void> {
  for (const segment of await readAppliedSegments(context.pool, context.sandbox)) {
    if (!firesInMinute(segment.spec.schedule ?? '0 * * * *', now)) continue;
    await send(
      boss,
      'segment.evaluate',
      { sandbox: context.sandbox, segment: segment.name } satisfies SegmentEvaluateJob,
      `${context.sandbox}:${segment.name}`,
    );
  }
}

async function enqueueDueSources(boss: PgBoss, context: JobsContext, now: Date): Promise<void> {
  const config = await readAppliedConfig(context.pool, context.sandbox);
  for (const source of config.sources.values()) {
    if (!source.spec.schedule || source.spec.type === 'http' || !firesInMinute(source.spec.schedule, now)) continue;
    const id = await send(
      boss,
      'source.ingest',
      { sandbox: context.sandbox, source: source.name, trigger: 'schedule' } satisfies SourceIngestJob,
      `${context.sandbox}:${source.name}`,
    );
    context.log({
      level: 'info',
      msg: id ? 'source ingest scheduled' : 'source ingest already queued',
      sandbox: context.sandbox,
      source: source.name,
    });
  }
}
