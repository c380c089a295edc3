import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateProject, THOUSAND_RESOURCES } from '../../bench/generate-project';
import { roster, rosterAsync } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

let pool: Pool;
let env: NodeJS.ProcessEnv;
let project: string;
/** A one-source project: an apply of it validates in a moment and reaches the lock at once. */
let small: string;
const sandboxes: string[] = [];

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  project = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-concurrency-'));
  await generateProject(project, THOUSAND_RESOURCES);
  small = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-concurrency-small-'));
  await generateProject(small, { sources: 1, identityMappings: 1, segments: 1, destinations: 0 });
});

afterAll(async () => {
  await dropSandboxes(pool, sandboxes);
  await pool.end();
  await fs.rm(project, { recursive: true, force: true });
  await fs.rm(small, { recursive: true, force: true });
});

function sandbox(): string {
  const name = uniqueSandbox();
  sandboxes.push(name);
  return name;
}

/** Resolves once the running apply has reported `count` completed operations on stderr. */
async function waitForProgress(run: ReturnType<typeof rosterAsync>, count: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (new RegExp(`\\[${count}/\\d+\\]`).test(run.output().stderr)) return;
    if (run.child.exitCode !== null) throw new Error(`apply ended early:\n${run.output().stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('apply made no progress');
}

describe('concurrent and interrupted applies', () => {
  it('lets one apply win while a second fails at once, naming the holder', async () => {
    const sb = sandbox();
    const first = rosterAsync(['apply', project, '--sandbox', sb, '--yes', '--no-evaluate'], env);
    await waitForProgress(first, 5);
    // A small project, so that the second apply reaches the lock while the first (about 1,000
    // operations, a few seconds) surely holds it: validating the same 1,000 resources first took
    // long enough on a fast machine for the first apply to finish.
    const second = roster(['apply', small, '--sandbox', sb, '--yes', '--no-evaluate'], env);
    expect(first.child.exitCode).toBe(null); // the second gave up while the first still held the lock
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(
        `APPLY_LOCKED sandbox ${sb} is locked by roster apply \\(\\S+@\\S+, pid ${first.child.pid}\\) since \\S+; wait for it to finish, or retry with --lock-timeout 5m`,
      ),
    );
    expect((await first.done).code).toBe(0);
    const waiting = roster(['apply', project, '--sandbox', sb, '--yes', '--no-evaluate', '--lock-timeout', '30s'], env);
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toContain('No changes.');
  });

  it('after kill -9 midway, plan reports the interrupted apply and the next apply completes it with a gapless history', async () => {
    const sb = sandbox();
    const victim = rosterAsync(['apply', project, '--sandbox', sb, '--yes', '--no-evaluate'], env);
    await waitForProgress(victim, 100);
    victim.child.kill('SIGKILL');
    await victim.done;

    const plan = JSON.parse(roster(['plan', project, '--sandbox', sb, '--format', 'json'], env).stdout);
    expect(plan.interrupted).toHaveLength(1);
    expect(plan.interrupted[0].pending.length).toBeGreaterThan(0);
    const { rows: applied } = await pool.query(`select count(*)::int as n from roster_${sb}.resources`);
    expect(plan.summary.create).toBe(1000 - applied[0].n);
    expect(roster(['status', '--sandbox', sb], env).stdout).toContain(
      `Interrupted apply ${plan.interrupted[0].applyId}`,
    );

    const resume = roster(['apply', project, '--sandbox', sb, '--yes', '--no-evaluate'], env);
    expect(resume.code).toBe(0);
    expect(resume.stderr).toMatch(
      /Completing 1 interrupted apply run\(s\): \d+ operation\(s\) had been applied, \d+ are planned again\./,
    );
    expect(roster(['plan', project, '--sandbox', sb, '--detailed-exitcode'], env).code).toBe(0);

    const { rows: history } = await pool.query<{ kind: string; name: string; revisions: number[] }>(
      `select kind, name, array_agg(revision order by revision) as revisions from roster_${sb}.resource_revisions group by kind, name`,
    );
    expect(history).toHaveLength(1000);
    expect(history.every((h) => h.revisions.length === 1 && h.revisions[0] === 1)).toBe(true);
    const { rows: runs } = await pool.query(`select status from roster_${sb}.apply_runs order by started_at`);
    expect(runs.map((r) => r.status)).toEqual(['recovered', 'completed']);
  });
});
