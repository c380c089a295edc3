import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePersonsCsv } from '../../bench/generate-persons-csv';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { recordHostile } from '../support/hostile-tally';
import { roster, rosterAsync } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/**
 * kill -9 of `roster source run` and `roster segment run` at points drawn from a seeded generator:
 * whatever the point, the next run ends exactly where a run that was never killed ends (the same
 * records, the same members, one history entry and one outbox change per member, no change twice).
 */
const PERSONS = 10_000;
const killed = uniqueSandbox('killed');
const clean = uniqueSandbox('clean');
let pool: Pool;
let env: NodeJS.ProcessEnv;
let dir: string;
let exportDir: string;

/** A small deterministic generator (mulberry32), so a failing point can be replayed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(Number(process.env.ROSTER_FAULT_SEED ?? 20261207));

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  exportDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-kill-exports-'));
  dir = await writeConfigDir({
    ...crmPeopleConfig({ file: 'persons.csv' }),
    'cto.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: ctos }
spec:
  subject: person
  where: { attribute: jobTitle, op: eq, value: CTO }
`,
    'data-people.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: data-people }
spec:
  subject: person
  where: { attribute: jobTitle, op: contains, value: data }
`,
    'exports.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: exports }
spec:
  type: file
  file: { directory: '${exportDir}/{{ sandbox }}', format: csv, mode: snapshot, fields: [email] }
  segments: [{ segment: ctos }, { segment: data-people }]
`,
  });
  await fs.mkdir(path.join(dir, 'data'));
  await writePersonsCsv(path.join(dir, 'data', 'persons.csv'), PERSONS);
  for (const sandbox of [killed, clean])
    expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await dropSandboxes(pool, [killed, clean]);
  await pool.end();
  await fs.rm(dir, { recursive: true, force: true });
  await fs.rm(exportDir, { recursive: true, force: true });
});

/** How long `run` took, in ms: the kill points are drawn within a clean run's duration on this machine today. */
function timed(run: () => void): number {
  const start = Date.now();
  run();
  return Date.now() - start;
}

/** Starts `args`, waits for `ready` on stderr (or the exit), then kills it with SIGKILL after `delayMs`. */
async function killDuring(args: string[], ready: (stderr: string) => boolean, delayMs: number): Promise<string> {
  const child = rosterAsync(args, env);
  let exited = false;
  void child.done.then(() => {
    exited = true;
  });
  await waitFor(
    () => (exited || ready(child.output().stderr) ? true : undefined),
    `${args.join(' ')} to start`,
    240_000,
  );
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const before = exited;
  child.child.kill('SIGKILL');
  const result = await child.done;
  return before ? `finished before the kill (exit ${result.code})` : 'killed';
}

/** The records (person ids differ between sandboxes, so only whether each has one is compared). */
async function records(sandbox: string): Promise<{ n: number; sum: string; unstitched: number }> {
  const { rows } = await pool.query(
    `select count(*)::int as n, md5(string_agg(source_key || ':' || email, ',' order by source_key)) as sum,
            count(*) filter (where person_id is null)::int as unstitched
     from roster_${sandbox}.person_records`,
  );
  return rows[0];
}

async function members(sandbox: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ segment: string; n: number }>(
    `select segment, count(*)::int as n from roster_${sandbox}.segment_memberships group by segment order by segment`,
  );
  return Object.fromEntries(rows.map((r) => [r.segment, r.n]));
}

describe('kill -9 at random points', () => {
  it('of source runs: the next run ends with exactly the records and persons of a run never killed', async () => {
    const took = timed(() => expect(roster(['source', 'run', 'crm', '--sandbox', clean], env).code).toBe(0));
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const delay = Math.floor(random() * took * 0.9);
      outcomes.push(await killDuring(['source', 'run', 'crm', '--sandbox', killed, '--full'], () => true, delay));
    }
    expect(roster(['source', 'run', 'crm', '--sandbox', killed], env).code).toBe(0);
    const [after, expected] = [await records(killed), await records(clean)];
    const same = JSON.stringify(after) === JSON.stringify(expected);
    recordHostile({
      suite: 'kill -9 of source runs',
      tried: outcomes.filter((o) => o === 'killed').length,
      held: same ? outcomes.filter((o) => o === 'killed').length : 0,
      lost: Math.max(0, expected.n - after.n),
      duplicated: Math.max(0, after.n - expected.n),
    });
    expect(after).toEqual(expected);
    expect((await records(clean)).unstitched).toBe(0);
    const { rows } = await pool.query(
      `select (select count(distinct person_id)::int from roster_${killed}.person_records) as killed,
              (select count(distinct person_id)::int from roster_${clean}.person_records) as clean`,
    );
    expect(rows[0].killed).toBe(rows[0].clean);
    expect(rows[0].clean).toBe(PERSONS);
    expect(outcomes).toContain('killed');
  }, 600_000);

  it('of segment runs: the next run gives the same members, one entry and one outbox change each', async () => {
    const took = timed(() => expect(roster(['segment', 'run', '--all', '--sandbox', clean], env).code).toBe(0));
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const delay = Math.floor(random() * took * 0.9);
      outcomes.push(await killDuring(['segment', 'run', '--all', '--sandbox', killed], () => true, delay));
    }
    expect(outcomes).toContain('killed');
    expect(roster(['segment', 'run', '--all', '--sandbox', killed], env).code).toBe(0);
    const expected = await members(clean);
    const ctos = Array.from({ length: PERSONS }, (_, i) => i % 7).filter((title) => title === 1).length;
    expect(expected).toEqual({ ctos, 'data-people': expect.any(Number) });
    expect(expected['data-people']).toBeGreaterThan(ctos);
    const got = await members(killed);
    const kills = outcomes.filter((o) => o === 'killed').length;
    recordHostile({
      suite: 'kill -9 of segment runs',
      tried: kills,
      held: JSON.stringify(got) === JSON.stringify(expected) ? kills : 0,
    });
    expect(got).toEqual(expected);

    const s = `roster_${killed}`;
    const { rows: history } = await pool.query(
      `select count(*)::int as entries, count(distinct (segment, subject_id))::int as subjects,
              count(*) filter (where change = 'exited')::int as exits
       from ${s}.segment_membership_history`,
    );
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    expect(history[0]).toEqual({ entries: total, subjects: total, exits: 0 });
    const { rows: outbox } = await pool.query(
      `select count(*)::int as changes, count(distinct idempotency_key)::int as keys,
              count(distinct (segment, subject_id))::int as subjects
       from ${s}.activation_outbox where destination = 'exports'`,
    );
    expect(outbox[0]).toEqual({ changes: total, keys: total, subjects: total });
  }, 600_000);
});
