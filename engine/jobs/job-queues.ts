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

/**
 * Every queue with its retry, expiry and dead-letter policy, in one place. `stately` keeps at most
 * one queued and one active job per singleton key (a source, a sandbox), so several `roster run`
 * processes never do the same work twice at once.
 */
export const QUEUES: readonly PgBoss.Queue[] = [
  { name: 'roster.dead-letter', policy: 'standard', retentionMinutes: 60 * 24 * 14 },
  {
    name: 'source.ingest',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 3600,
    deadLetter: 'roster.dead-letter',
  },
  {
    name: 'segment.evaluate',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 1800,
    deadLetter: 'roster.dead-letter',
  },
  {
    // Retries of single changes are the outbox's business (backoff per change, dead-lettering);
    // a job retry only covers a worker that crashed before it finished draining.
    name: 'destination.activate',
    policy: 'stately',
    retryLimit: 3,
    retryDelay: 10,
    retryBackoff: true,
    expireInSeconds: 3600,
    deadLetter: 'roster.dead-letter',
  },
];

/**
 * The minute tick of one sandbox (pg-boss keys schedules by queue name, so each sandbox has its
 * own queue). Its handler enqueues the sources whose cron fires in that minute.
 */
export function tickQueue(sandbox: string): PgBoss.Queue {
  return { name: `schedule.tick.${sandbox}`, policy: 'singleton', retryLimit: 0, expireInSeconds: 60 };
}

/** The schema pg-boss keeps its tables in (shared by every sandbox; payloads name the sandbox). */
export const JOB_SCHEMA = 'roster_jobs';
