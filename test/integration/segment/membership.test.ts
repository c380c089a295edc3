import type { PoolClient } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSegment, type SegmentRunResult } from '../../../engine/segment/evaluate-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import { roster, rosterAsync } from '../../support/run-roster';
import {
  fileDestinationYaml,
  type Row,
  rosterOk,
  type SegmentDefinition,
  segmentYaml,
  useSegmentWorkspace,
  writeConfig,
  writeCrmData,
} from './segment-sandbox';

const workspace = useSegmentWorkspace();
const SEGMENT = 'high-score';
const DESTINATIONS = ['exports-a', 'exports-b'];
const T1 = new Date('2026-06-01T00:00:00Z');
const T2 = new Date('2026-06-02T00:00:00Z');
let sandbox: string;
let dir: string;

const highScore = (threshold: number): SegmentDefinition => ({
  name: SEGMENT,
  subject: 'person',
  where: { attribute: 'score', op: 'gte', value: threshold },
});

/** Persons `p1@x.example`.. with these scores (null: none). */
function persons(scores: (number | null)[]): Row[] {
  return scores.map((score, i) => ({ id: `P${i + 1}`, email: `p${i + 1}@x.example`, score }));
}

async function writeSandbox(threshold: number, scores: (number | null)[]): Promise<void> {
  await writeConfig(dir, {
    [`segments/${SEGMENT}.yaml`]: segmentYaml(highScore(threshold)),
    ...Object.fromEntries(
      DESTINATIONS.map((d) => [`destinations/${d}.yaml`, fileDestinationYaml(d, [SEGMENT], `${dir}/out/${d}`)]),
    ),
  });
  await writeCrmData(dir, { persons: persons(scores) });
}

async function evaluate(now: Date): Promise<SegmentRunResult> {
  const segment = (await readAppliedSegments(workspace.pool, sandbox)).find((s) => s.name === SEGMENT)!;
  return evaluateSegment(workspace.pool, sandbox, segment, now);
}

interface HistoryRow {
  id: number;
  email: string;
  change: string;
  revision: number;
  runId: number;
}
interface OutboxRow {
  destination: string;
  email: string;
  change: string;
  key: string;
  historyId: number;
}

/** Membership, history, outbox and runs of the segment, read with plain SQL. */
async function readState() {
  const s = `roster_${sandbox}`;
  const q = async <T>(sql: string) => (await workspace.pool.query(sql, [SEGMENT])).rows as T[];
  return {
    members: (
      await q<{ email: string }>(
        `select p.email from ${s}.segment_memberships m join ${s}.persons p on p.id = m.subject_id where m.segment = $1 order by 1`,
      )
    ).map((r) => r.email),
    history: await q<HistoryRow>(
      `select h.id::int, p.email, h.change, h.revision, h.run_id::int as "runId" from ${s}.segment_membership_history h
       join ${s}.persons p on p.id = h.subject_id where h.segment = $1 order by h.id`,
    ),
    outbox: await q<OutboxRow>(
      `select o.destination, p.email, o.change, o.idempotency_key as key, o.history_id::int as "historyId"
       from ${s}.activation_outbox o join ${s}.persons p on p.id = o.subject_id where o.segment = $1 order by o.id`,
    ),
    runs: await q<{ runId: number; status: string; revision: number }>(
      `select run_id::int as "runId", status, revision from ${s}.segment_runs where segment = $1 order by run_id`,
    ),
  };
}

type State = Awaited<ReturnType<typeof readState>>;

/** The history rows of one run, as `email change` lines (sorted). */
function transitions(state: State, runId: number): string[] {
  return state.history
    .filter((h) => h.runId === runId)
    .map((h) => `${h.email} ${h.change}`)
    .sort();
}

/**
 * The invariants a consistent state keeps whatever happened: the membership is the replay of the
 * history (changes alternate per person, starting with an entry), every history row has exactly one
 * outbox row per destination, and idempotency keys are unique.
 */
function expectConsistent(state: State): void {
  const last = new Map<string, string>();
  for (const h of state.history) {
    expect(`${h.email} ${h.change}`).not.toBe(`${h.email} ${last.get(h.email) ?? 'exited'}`);
    last.set(h.email, h.change);
  }
  const replayed = [...last].filter(([, change]) => change === 'entered').map(([email]) => email);
  expect(replayed.sort()).toEqual(state.members);
  for (const h of state.history) {
    const rows = state.outbox.filter((o) => o.historyId === h.id);
    expect(rows.map((o) => o.destination).sort()).toEqual(DESTINATIONS);
    expect(rows.every((o) => o.email === h.email && o.change === h.change)).toBe(true);
  }
  expect(state.outbox).toHaveLength(state.history.length * DESTINATIONS.length);
  expect(new Set(state.outbox.map((o) => o.key)).size).toBe(state.outbox.length);
}

async function membersAsOf(asOf: string): Promise<string[]> {
  const out = await rosterOk(
    ['segment', 'members', SEGMENT, '--sandbox', sandbox, '--format', 'json', '--as-of', asOf],
    workspace.env,
  );
  return (JSON.parse(out) as { members: { label: string }[] }).members.map((m) => m.label).sort();
}

beforeAll(async () => {
  ({ sandbox, dir } = await workspace.newSandbox('segmb'));
  await writeSandbox(50, [80, 60, 70, 20, 30, null]);
  await workspace.applyAndLoad(dir, sandbox);
});

describe('segment membership, history and activation outbox', () => {
  let first: SegmentRunResult;
  let changed: SegmentRunResult;

  it('the first run enters every member once, with one outbox row per destination', async () => {
    first = await evaluate(T1);
    const state = await readState();
    expect(state.members).toEqual(['p1@x.example', 'p2@x.example', 'p3@x.example']);
    expect(transitions(state, first.runId)).toEqual([
      'p1@x.example entered',
      'p2@x.example entered',
      'p3@x.example entered',
    ]);
    expect(state.history.every((h) => h.revision === 1)).toBe(true);
    expect(state.outbox).toHaveLength(6);
    expectConsistent(state);
  });

  it('running again on unchanged data writes no history and no outbox rows', async () => {
    const before = await readState();
    const again = await evaluate(new Date(T1.getTime() + 60_000));
    const after = await readState();
    expect({ entered: again.entered, exited: again.exited, size: again.size }).toEqual({
      entered: 0,
      exited: 0,
      size: 3,
    });
    expect(after.history).toEqual(before.history);
    expect(after.outbox).toEqual(before.outbox);
    expect(after.runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('when 2 members leave and 1 person enters, writes exactly those transitions with revision and run id', async () => {
    const before = await readState();
    await writeSandbox(50, [10, 0, 70, 90, 30, null]);
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox, '--format', 'json'], workspace.env);
    changed = await evaluate(T2);
    const after = await readState();
    expect(after.members).toEqual(['p3@x.example', 'p4@x.example']);
    const added = after.history.slice(before.history.length);
    expect(added.map((h) => `${h.email} ${h.change}`).sort()).toEqual([
      'p1@x.example exited',
      'p2@x.example exited',
      'p4@x.example entered',
    ]);
    expect(added.every((h) => h.revision === 1 && h.runId === changed.runId)).toBe(true);
    const addedOutbox = after.outbox.slice(before.outbox.length);
    for (const destination of DESTINATIONS)
      expect(
        addedOutbox
          .filter((o) => o.destination === destination)
          .map((o) => `${o.email} ${o.change}`)
          .sort(),
      ).toEqual(['p1@x.example exited', 'p2@x.example exited', 'p4@x.example entered']);
    expectConsistent(after);
  });

  it('`roster segment members --as-of` returns the membership at that time', async () => {
    expect(await membersAsOf('2026-05-31T23:59:59Z')).toEqual([]);
    expect(await membersAsOf('2026-06-01T12:00:00Z')).toEqual(['p1@x.example', 'p2@x.example', 'p3@x.example']);
    expect(await membersAsOf(T2.toISOString())).toEqual(['p3@x.example', 'p4@x.example']);
  });

  it('counts every member in `total` even on a page past the end', async () => {
    const all = JSON.parse(
      await rosterOk(['segment', 'members', SEGMENT, '--sandbox', sandbox, '--format', 'json'], workspace.env),
    ) as { total: number; members: unknown[] };
    const past = JSON.parse(
      await rosterOk(
        ['segment', 'members', SEGMENT, '--sandbox', sandbox, '--format', 'json', '--offset', '1000'],
        workspace.env,
      ),
    ) as { total: number; members: unknown[] };
    expect(all.total).toBeGreaterThan(0);
    expect(all.members).toHaveLength(all.total);
    expect(past).toMatchObject({ total: all.total, members: [] });
  });

  it('refuses an --as-of PostgreSQL cannot hold (year 0, a local time, an impossible day) as a usage error', () => {
    for (const asOf of ['0000-01-01', '2026-06-01T12:00:00', '2026-02-30']) {
      const result = roster(['segment', 'members', SEGMENT, '--sandbox', sandbox, '--as-of', asOf], workspace.env);
      expect({ asOf, code: result.code, stdout: result.stdout }).toEqual({ asOf, code: 2, stdout: '' });
      expect(result.stderr).toContain(
        `--as-of "${asOf}" must be an ISO 8601 date or time with a zone from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z`,
      );
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a `roster segment run` killed (-9) inside its transaction leaves no trace; the rerun writes each transition once', async () => {
    await writeSandbox(50, [10, 0, 10, 90, 95, null]);
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox, '--format', 'json'], workspace.env);
    const before = await readState();
    const { pid, child } = await runBlockedBeforeMembershipUpdate();
    // The run has written its run row, history and outbox rows; none is visible, and then it dies.
    child.kill('SIGKILL');
    await child.done;
    await releaseLock();
    await waitForBackendToEnd(pid);
    expect(await readState()).toEqual(before);

    const rerun = await evaluate(new Date('2026-06-03T00:00:00Z'));
    const after = await readState();
    expect(after.members).toEqual(['p4@x.example', 'p5@x.example']);
    expect(transitions(after, rerun.runId)).toEqual(['p3@x.example exited', 'p5@x.example entered']);
    expect(after.history).toHaveLength(before.history.length + 2);
    expectConsistent(after);
    const once = await evaluate(new Date('2026-06-03T01:00:00Z'));
    expect((await readState()).history).toEqual(after.history);
    expect(once.entered + once.exited).toBe(0);
  });

  it('after the segment is changed and re-applied, transitions carry the new revision', async () => {
    await writeSandbox(92, [10, 0, 10, 90, 95, null]);
    await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], workspace.env);
    const run = await evaluate(new Date('2026-06-04T00:00:00Z'));
    const state = await readState();
    expect(state.members).toEqual(['p5@x.example']);
    expect(state.history.filter((h) => h.runId === run.runId)).toEqual([
      expect.objectContaining({ email: 'p4@x.example', change: 'exited', revision: 2 }),
    ]);
    expect(state.runs.at(-1)).toEqual({ runId: run.runId, status: 'succeeded', revision: 2 });
    expectConsistent(state);
  });
});

let locker: PoolClient | undefined;

/**
 * Starts `roster segment run` while this test holds an EXCLUSIVE lock on the membership table:
 * reads go through, so the run writes its run row, history and outbox rows, then waits at its
 * first write to the membership table. Resolves with the run's backend pid and child process once it waits there.
 */
async function runBlockedBeforeMembershipUpdate() {
  locker = await workspace.pool.connect();
  await locker.query('begin');
  await locker.query(`lock table roster_${sandbox}.segment_memberships in exclusive mode`);
  const run = rosterAsync(['segment', 'run', SEGMENT, '--sandbox', sandbox, '--format', 'json'], workspace.env);
  for (let i = 0; i < 200; i++) {
    const { rows } = await workspace.pool.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = 'roster' and wait_event_type = 'Lock' and query like $1`,
      [`%"roster_${sandbox}".segment_memberships%`],
    );
    if (rows[0]) {
      const { rows: pending } = await workspace.pool.query<{ n: number }>(
        `select count(*)::int as n from pg_locks where pid = $1 and locktype = 'transactionid' and granted`,
        [rows[0].pid],
      );
      expect(pending[0]!.n).toBeGreaterThan(0); // it has written rows in an open transaction
      return { pid: rows[0].pid, child: { kill: (s: NodeJS.Signals) => run.child.kill(s), done: run.done } };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  run.child.kill('SIGKILL');
  await releaseLock();
  throw new Error(`roster segment run never reached the membership update:\n${JSON.stringify(run.output())}`);
}

async function releaseLock(): Promise<void> {
  await locker?.query('rollback');
  locker?.release();
  locker = undefined;
}

/** The killed client's backend finishes its statement, finds the client gone, and rolls back. */
async function waitForBackendToEnd(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await workspace.pool.query('select 1 from pg_stat_activity where pid = $1', [pid]);
    if (rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`backend ${pid} of the killed run is still alive`);
}
