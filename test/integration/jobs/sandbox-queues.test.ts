import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { jobQueue, tickQueue } from '../../../engine/jobs/job-queues';
import { type RunningJobs, startJobs } from '../../../engine/jobs/start-jobs';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { useSandboxes } from '../../support/use-sandboxes';
import { waitFor } from '../../support/wait-for';

/**
 * A `roster run` process works its own sandbox's jobs only: it runs them with its own environment
 * (secrets, working directory), so a job of another sandbox waits for that sandbox's process.
 */
const sandboxes = useSandboxes('roster-jobs-');
const running: { sandbox: string; jobs: RunningJobs }[] = [];

afterAll(async () => {
  for (const { sandbox, jobs } of running) {
    // The queues stay (pg-boss keeps their jobs); the tick's schedule would create jobs every minute.
    await jobs.boss.unschedule(tickQueue(sandbox).name);
    await jobs.stop();
  }
});

async function startFor(sandbox: string): Promise<RunningJobs> {
  await migrateSandbox(sandboxes.pool, sandbox);
  const jobs = await startJobs({
    pool: sandboxes.pool,
    sandbox,
    env: {},
    cwd: process.cwd(),
    log: () => {},
  });
  running.push({ sandbox, jobs });
  return jobs;
}

async function stateOf(jobs: RunningJobs, queue: string, id: string): Promise<string | undefined> {
  return (await jobs.boss.getJobById(queue, id))?.state;
}

describe('job queues per sandbox', () => {
  it("leaves another sandbox's job to that sandbox's process", async () => {
    const { sandbox: dev } = await sandboxes.create('qdev');
    const { sandbox: prod } = await sandboxes.create('qprod');
    const devJobs = await startFor(dev);
    // prod's queue exists (its process ran before), but prod's process is not running now.
    await devJobs.boss.createQueue(jobQueue('destination.activate', prod), {
      name: jobQueue('destination.activate', prod),
    });
    const queue = jobQueue('destination.activate', prod);
    const id = await devJobs.boss.send(queue, { sandbox: prod, destination: 'nowhere' });
    expect(id).not.toBeNull();

    await sleep(5_000); // more than two polling intervals of dev's workers
    expect(await stateOf(devJobs, queue, id!)).toBe('created');

    await startFor(prod);
    await waitFor(
      async () => ((await stateOf(devJobs, queue, id!)) === 'completed' ? true : undefined),
      "prod's process to work prod's job",
    );
  }, 60_000);
});
