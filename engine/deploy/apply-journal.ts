import type { ResourceKey, ResourceKind } from '../config/resource';
import type { InterruptedApply, PlannedAction, PlannedChange } from '../plan/plan';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** Who runs an apply, recorded with it. */
export interface ApplyRunInfo {
  applyId: string;
  appliedBy: string;
  host: string;
  pid: number;
  configDir?: string;
  gitCommit?: string;
}

/** Records the run and every operation it intends, before the first change is made. */
export async function startApplyRun(
  db: Queryable,
  sandbox: string,
  run: ApplyRunInfo,
  changes: readonly PlannedChange[],
): Promise<void> {
  const schema = sandboxSchema(sandbox);
  await db.query(
    `insert into ${schema}.apply_runs (apply_id, applied_by, host, pid, config_dir, git_commit) values ($1, $2, $3, $4, $5, $6)`,
    [run.applyId, run.appliedBy, run.host, run.pid, run.configDir ?? null, run.gitCommit ?? null],
  );
  await db.query(
    `insert into ${schema}.apply_journal (apply_id, seq, kind, name, operation, spec_hash)
     select $1, s.seq, s.kind, s.name, s.operation, s.spec_hash
     from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) as s(seq, kind, name, operation, spec_hash)`,
    [
      run.applyId,
      changes.map((_, i) => i + 1),
      changes.map((c) => c.kind),
      changes.map((c) => c.name),
      changes.map((c) => c.action),
      changes.map((c) => c.after?.specHash ?? null),
    ],
  );
}

export async function markJournalEntry(
  db: Queryable,
  sandbox: string,
  applyId: string,
  seq: number,
  outcome: { status: 'done' | 'failed'; error?: string },
): Promise<void> {
  await db.query(
    `update ${sandboxSchema(sandbox)}.apply_journal set status = $3, error = $4, completed_at = now() where apply_id = $1 and seq = $2`,
    [applyId, seq, outcome.status, outcome.error ?? null],
  );
}

export async function finishApplyRun(
  db: Queryable,
  sandbox: string,
  applyId: string,
  outcome: { status: 'completed' | 'failed'; error?: string },
): Promise<void> {
  await db.query(
    `update ${sandboxSchema(sandbox)}.apply_runs set status = $2, error = $3, finished_at = now() where apply_id = $1`,
    [applyId, outcome.status, outcome.error ?? null],
  );
}

interface PendingRow {
  applyId: string;
  startedAt: string;
  appliedBy: string;
  kind: ResourceKind;
  name: string;
  operation: PlannedAction;
  specHash: string | null;
  seq: number;
}

/** Operations of runs still marked running (call only when the apply lock is free or held by us). */
async function readPendingOperations(db: Queryable, sandbox: string): Promise<PendingRow[]> {
  const schema = sandboxSchema(sandbox);
  const { rows } = await db.query<PendingRow>(
    `select r.apply_id as "applyId", to_char(r.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "startedAt",
       r.applied_by as "appliedBy", j.kind, j.name, j.operation, j.spec_hash as "specHash", j.seq
     from ${schema}.apply_runs r join ${schema}.apply_journal j using (apply_id)
     where r.status = 'running' and j.status = 'pending' order by r.started_at, j.seq`,
  );
  return rows;
}

/** Runs that stopped midway, with the operations they did not confirm. */
export async function readInterruptedApplies(db: Queryable, sandbox: string): Promise<InterruptedApply[]> {
  const byRun = new Map<string, InterruptedApply>();
  for (const row of await readPendingOperations(db, sandbox)) {
    const run = byRun.get(row.applyId) ?? {
      applyId: row.applyId,
      startedAt: row.startedAt,
      appliedBy: row.appliedBy,
      pending: [],
    };
    run.pending.push({ action: row.operation, key: `${row.kind}/${row.name}` as ResourceKey });
    byRun.set(row.applyId, run);
  }
  const { rows } = await db.query<{ applyId: string; startedAt: string; appliedBy: string }>(
    `select apply_id as "applyId", to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "startedAt", applied_by as "appliedBy"
     from ${sandboxSchema(sandbox)}.apply_runs where status = 'running' order by started_at`,
  );
  return rows.map((r) => byRun.get(r.applyId) ?? { ...r, pending: [] });
}

/**
 * Closes interrupted runs (under the apply lock): an operation whose effect is in the registry (the
 * spec hash it meant to write is current, or the resource it meant to delete is gone) is marked
 * done; the others failed. The new plan then contains exactly what is still missing.
 */
export async function recoverInterruptedApplies(
  db: Queryable,
  sandbox: string,
): Promise<{ runs: number; confirmed: number; replanned: number }> {
  const schema = sandboxSchema(sandbox);
  const pending = await readPendingOperations(db, sandbox);
  let confirmed = 0;
  for (const op of pending) {
    const { rows } = await db.query<{ specHash: string }>(
      `select spec_hash as "specHash" from ${schema}.resources where kind = $1 and name = $2`,
      [op.kind, op.name],
    );
    const done = op.operation === 'delete' ? rows.length === 0 : rows[0]?.specHash === op.specHash;
    if (done) confirmed++;
    await markJournalEntry(
      db,
      sandbox,
      op.applyId,
      op.seq,
      done ? { status: 'done' } : { status: 'failed', error: 'interrupted before it was applied; planned again' },
    );
  }
  const { rowCount } = await db.query(
    `update ${schema}.apply_runs set status = 'recovered', finished_at = now() where status = 'running'`,
  );
  return { runs: rowCount ?? 0, confirmed, replanned: pending.length - confirmed };
}

/** How many apply runs the sandbox's journal holds and the latest one; null when it holds none. */
export async function readJournalPosition(
  db: Queryable,
  sandbox: string,
): Promise<{ applyRuns: number; lastApplyId: string } | null> {
  const { rows } = await db.query<{ applyRuns: number; lastApplyId: string }>(
    `select count(*) over ()::int as "applyRuns", apply_id as "lastApplyId"
     from ${sandboxSchema(sandbox)}.apply_runs order by started_at desc, apply_id desc limit 1`,
  );
  return rows[0] ?? null;
}

/** What the last completed operation of `roster apply` on a resource recorded. */
export interface RecordedOperation {
  key: ResourceKey;
  operation: PlannedAction;
  /** The document hash it wrote (null for a delete). */
  specHash: string | null;
  applyId: string;
}

/** The last operation each resource had confirmed in the journal (`done`), by key. */
export async function readRecordedOperations(db: Queryable, sandbox: string): Promise<RecordedOperation[]> {
  const { rows } = await db.query<RecordedOperation>(
    `select distinct on (kind, name) kind || '/' || name as key, operation, spec_hash as "specHash", apply_id as "applyId"
     from ${sandboxSchema(sandbox)}.apply_journal where status = 'done'
     order by kind, name, completed_at desc, seq desc`,
  );
  return rows;
}
