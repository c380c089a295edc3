import type PgBoss from 'pg-boss';

/** Payload of every Roster job: the sandbox and what to work on. Jobs read the registry, never a copy of the spec. */
export interface SourceIngestJob {
  sandbox: string;
  source: string;
  trigger: 'schedule' | 'job';
}

export interface SegmentEvaluateJob {
  sandbox: string;
  segment: string;
}

/** Deliver a scheduled destination's changes released by its cron. */
export interface DestinationActivateJob {
  sandbox: string;
  destination: string;
}

/** The kinds of work Roster queues; each sandbox has a queue of each (`jobQueue`). */
export type JobKind = 'source.ingest' | 'segment.evaluate' | 'destination.activate';

/**
 * The queue of `kind` for one sandbox, `<domain>.<verb>.<sandbox>`. Queues are per sandbox because
 * a `roster run` process works with its own sandbox's environment (secrets, working directory):
 * a shared queue would let the `dev` process run `prod`'s ingests and deliveries (decision 38).
 */
export function jobQueue(kind: JobKind, sandbox: string): string {
  return `${kind}.${sandbox}`;
}

/**
 * Every queue of a sandbox with its retry, expiry and dead-letter policy, in one place. `stately`
 * keeps at most one queued and one active job per singleton key (a source, a segment), so several
 * `roster run` processes never do the same work twice at once.
 */
export function sandboxQueues(sandbox: string): PgBoss.Queue[] {
  const deadLetter = `roster.dead-letter.${sandbox}`;
  return [
    { name: deadLetter, policy: 'standard', retentionMinutes: 60 * 24 * 14 },
    {
      name: jobQueue('source.ingest', sandbox),
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 30,
      retryBackoff: true,
      expireInSeconds: 3600,
      deadLetter,
    },
    {
      name: jobQueue('segment.evaluate', sandbox),
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 10,
      retryBackoff: true,
      expireInSeconds: 1800,
      deadLetter,
    },
    {
      // Retries of single changes are the outbox's business (backoff per change, dead-lettering);
      // a job retry only covers a worker that crashed before it finished draining.
      name: jobQueue('destination.activate', sandbox),
      policy: 'stately',
      retryLimit: 3,
      retryDelay: 10,
      retryBackoff: true,
      expireInSeconds: 3600,
      deadLetter,
    },
    tickQueue(sandbox),
  ];
}

/**
 * The minute tick of one sandbox (pg-boss keys schedules by queue name, so each sandbox has its
 * own queue). Its handler enqueues the sources whose cron fires in that minute.
 */
export function tickQueue(sandbox: string): PgBoss.Queue {
  return { name: `schedule.tick.${sandbox}`, policy: 'singleton', retryLimit: 0, expireInSeconds: 60 };
}

/** The schema pg-boss keeps its tables in (shared by every sandbox; queue names and payloads name the sandbox). */
export const JOB_SCHEMA = 'roster_jobs';
