import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { jobQueue, tickQueue } from '../../../engine/jobs/job-queues';
import { type JobsContext, type RunningJobs, startJobs } from '../../../engine/jobs/start-jobs';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import type { Condition } from '../../../schemas/generated/resource-types';
import { waitFor } from '../../support/wait-for';
import { rosterOk, useSegmentWorkspace, writeConfig, writeCrmData } from '../segment/segment-sandbox';

/**
 * `segment.evaluate` jobs of `roster run`: queued segments run back to back (pg-boss would
 * otherwise sleep its 2 s polling interval after every job), and a tick evaluates a segment after
 * the segments it references.
 */
const workspace = useSegmentWorkspace();
const running: { sandbox: string; jobs: RunningJobs }[] = [];

afterAll(async () => {
  for (const { sandbox, jobs } of running) {
    await jobs.boss.unschedule(tickQueue(sandbox).name);
    await jobs.stop();
  }
});

function segmentYaml(name: string, where: Condition, schedule: string): string {
  return stringify({
    apiVersion: 'roster/v1',
    kind: 'Segment',
    metadata: { name },
    spec: { subject: 'person', evaluation: 'batch', schedule, where },
  });
}

/** Applies the segments (with the crm source, no rows) and starts the sandbox's job workers. */
async function sandboxWith(prefix: string, segments: Record<string, string>, log: JobsContext['log'] = () => {}) {
  const { sandbox, dir } = await workspace.newSandbox(prefix);
  await writeConfig(dir, segments);
  await writeCrmData(dir, {});
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], workspace.env);
  await migrateSandbox(workspace.pool, sandbox);
  const jobs = await startJobs({
    pool: workspace.pool,
    sandbox,
    env: {},
    cwd: process.cwd(),
    log,
  });
  running.push({ sandbox, jobs });
  return { sandbox, jobs };
}

async function succeededRuns(sandbox: string): Promise<{ segment: string; run_id: string }[]> {
  const { rows } = await workspace.pool.query(
    `select segment, run_id from roster_${sandbox}.segment_runs where status = 'succeeded' order by run_id`,
  );
  return rows;
}

// Never due while the test runs: only the jobs the test queues evaluate them.
const NEVER_DUE = '0 3 29 2 *';
const SCORED: Condition = { attribute: 'score', op: 'exists' };
/** The `pollingIntervalSeconds` of the `segment.evaluate` worker (engine/jobs/start-jobs.ts). */
const POLLING_INTERVAL_MS = 2_000;

describe('segment.evaluate jobs', () => {
  it('runs 30 queued segment jobs back to back: most start less than a polling interval after the previous one', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `seg-${String(i + 1).padStart(2, '0')}`);
    const { sandbox, jobs } = await sandboxWith(
      'segjobs',
      Object.fromEntries(names.map((n) => [`segments/${n}.yaml`, segmentYaml(n, SCORED, NEVER_DUE)])),
    );
    const queue = jobQueue('segment.evaluate', sandbox);
    const ids: string[] = [];
    for (const segment of names) {
      const id = await jobs.boss.send(queue, { sandbox, segment }, { singletonKey: `${sandbox}:${segment}` });
      ids.push(id!);
    }
    await waitFor(
      async () => ((await succeededRuns(sandbox)).length >= 30 ? true : undefined),
      'the 30 segment runs',
      100_000,
    );
    const found = await Promise.all(ids.map((id) => jobs.boss.getJobById(queue, id)));
    // pg-boss marks a job completed just after its handler returns: the last one may still be active.
    expect(found.map((j) => j?.state).filter((s) => s === 'completed' || s === 'active')).toHaveLength(30);
    expect(new Set((await succeededRuns(sandbox)).map((r) => r.segment))).toEqual(new Set(names));
    // From pg-boss's own timestamps, not the test's clock: a worker that is not notified fetches at
    // most once per polling interval (it sleeps what is left of the interval after each job), so
    // its jobs start at least that far apart (29 of 29); back to back, one job starts as the
    // previous one ends. A loaded machine may stretch a few jobs past the interval. Node's timer and
    // PostgreSQL's clock differ by some milliseconds (1,973 ms was seen), hence 90% of the interval.
    const starts = found.map((j) => j!.startedOn!.getTime()).sort((a, b) => a - b);
    const apart = starts.slice(1).map((start, i) => start - starts[i]!);
    expect(apart).toHaveLength(29);
    expect(
      apart.filter((ms) => ms >= POLLING_INTERVAL_MS * 0.9).length,
      `ms between starts: ${apart.join(', ')}`,
    ).toBeLessThan(10);
  }, 180_000);

  it('evaluates a segment after the segment it references within a tick', async () => {
    // By name, the referring segment would come first.
    const { sandbox, jobs } = await sandboxWith('segtick', {
      'segments/a-refers.yaml': segmentYaml('a-refers', { inSegment: 'z-base' }, '* * * * *'),
      'segments/z-base.yaml': segmentYaml('z-base', SCORED, '* * * * *'),
    });
    await jobs.boss.send(tickQueue(sandbox).name, { sandbox });
    await waitFor(
      async () => ((await succeededRuns(sandbox)).length >= 2 ? true : undefined),
      'both segment runs',
      60_000,
    );
    const runs = await succeededRuns(sandbox);
    expect(runs.slice(0, 2).map((r) => r.segment)).toEqual(['z-base', 'a-refers']);
  }, 120_000);

  it('evaluates the segments of one fetch as a cycle: their event conditions are counted once', async () => {
    const logged: Record<string, unknown>[] = [];
    const visits = (gte: number): Condition => ({ events: { type: 'web.visit', within: '30d', count: { gte } } });
    const { sandbox, jobs } = await sandboxWith(
      'segcycle',
      {
        'segments/visited.yaml': segmentYaml('visited', visits(1), NEVER_DUE),
        'segments/visited-often.yaml': segmentYaml('visited-often', visits(5), NEVER_DUE),
      },
      (entry) => logged.push(entry),
    );
    const queue = jobQueue('segment.evaluate', sandbox);
    // One statement: the worker's next fetch takes both.
    await jobs.boss.insert(
      ['visited', 'visited-often'].map((segment) => ({
        name: queue,
        data: { sandbox, segment },
        singletonKey: `${sandbox}:${segment}`,
      })),
    );
    await waitFor(
      async () => ((await succeededRuns(sandbox)).length >= 2 ? true : undefined),
      'both segment runs',
      60_000,
    );
    expect(
      logged
        .filter((e) => e.msg === 'segment evaluated')
        .map((e) => e.segment)
        .sort(),
    ).toEqual(['visited', 'visited-often']);
    expect(logged.find((e) => e.msg === 'event conditions counted')).toMatchObject({
      level: 'info',
      segments: 2,
      sharedConditions: 2,
      sharedColumns: 1,
    });
  }, 120_000);

  it('fails only the job of a segment that fails; the others of its batch complete', async () => {
    const logged: Record<string, unknown>[] = [];
    const { sandbox, jobs } = await sandboxWith(
      'segfail',
      {
        'segments/good.yaml': segmentYaml('good', SCORED, NEVER_DUE),
        'segments/broken.yaml': segmentYaml('broken', SCORED, NEVER_DUE),
      },
      (entry) => logged.push(entry),
    );
    // An applied segment that no longer checks against the catalog (as when a custom field it read
    // was removed): its run fails before any statement.
    await workspace.pool.query(
      `update roster_${sandbox}.resources set document = jsonb_set(document, '{spec,where,attribute}', '"noSuchField"')
       where kind = 'Segment' and name = 'broken'`,
    );
    const queue = jobQueue('segment.evaluate', sandbox);
    const ids = ['good', 'broken'].map(() => crypto.randomUUID());
    await jobs.boss.insert(
      ['good', 'broken'].map((segment, i) => ({
        id: ids[i],
        name: queue,
        data: { sandbox, segment },
        singletonKey: `${sandbox}:${segment}`,
      })),
    );
    const states = async () =>
      (await Promise.all(ids.map((id) => jobs.boss.getJobById(queue, id)))).map((j) => j?.state);
    await waitFor(async () => ((await states())[0] === 'completed' ? true : undefined), 'the good job', 60_000);
    expect(await states()).toEqual(['completed', 'retry']);
    expect((await jobs.boss.getJobById(queue, ids[1]!))?.output).toEqual({
      message: expect.stringMatching(/^Segment\/broken revision 1 no longer checks against the attribute catalog/),
    });
    expect((await succeededRuns(sandbox)).map((r) => r.segment)).toEqual(['good']);
    expect(logged.find((e) => e.msg === 'segment failed')).toMatchObject({ level: 'error', segment: 'broken' });
  }, 120_000);
});
