import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { jobQueue, tickQueue } from '../../../engine/jobs/job-queues';
import { startJobs } from '../../../engine/jobs/start-jobs';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { testDatabaseUrl } from '../../support/test-database';
import { useSandboxes } from '../../support/use-sandboxes';
import { waitFor } from '../../support/wait-for';

/**
 * pg-boss runs on the pool `roster run` gives it (its `db` option), not on a pool of its own: one
 * set of connections per process (decision 59).
 */
const sandboxes = useSandboxes('roster-shared-pool-');

/** This database's connections by application name, counted by the test's own pool. */
async function connectionsNamed(names: string[]): Promise<{ name: string; connections: number }[]> {
  const { rows } = await sandboxes.pool.query<{ name: string; connections: number }>(
    `select application_name as name, count(*)::int as connections from pg_stat_activity
     where datname = current_database() and application_name = any($1) group by 1 order by 1`,
    [names],
  );
  return rows;
}

describe('the job system', () => {
  it("queues and works jobs on Roster's pool, and opens no connection of its own", async () => {
    const { sandbox } = await sandboxes.create('qpool');
    await migrateSandbox(sandboxes.pool, sandbox);
    const name = `roster-seam-${randomBytes(4).toString('hex')}`;
    const pool = new Pool({ connectionString: await testDatabaseUrl(), max: 4, application_name: name });
    pool.on('error', () => {}); // ended below while pg-boss's workers poll
    const jobs = await startJobs({ pool, sandbox, env: {}, cwd: process.cwd(), log: () => {} });
    const queue = jobQueue('destination.activate', sandbox);
    try {
      const id = await jobs.boss.send(queue, { sandbox, destination: 'nowhere' });
      expect(id).not.toBeNull();
      await waitFor(
        async () => ((await jobs.boss.getJobById(queue, id!))?.state === 'completed' ? true : undefined),
        'the job to be worked',
      );
      // 'roster-jobs' was the name of pg-boss's own pool.
      const named = await connectionsNamed([name, 'roster-jobs']);
      expect(named.map((row) => row.name)).toEqual([name]);
      await jobs.boss.unschedule(tickQueue(sandbox).name);
    } finally {
      await pool.end();
    }
    // With the given pool ended, pg-boss has nothing left to query with.
    await expect(jobs.boss.getQueue(queue)).rejects.toThrow(/pool after calling end/);
    await jobs.stop().catch(() => undefined); // its last step (failing work in progress) needs the pool
  }, 60_000);
});
