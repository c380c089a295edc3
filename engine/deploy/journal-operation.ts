import type { PlannedAction } from '../plan/plan';
import type { Queryable } from '../runtime/queryable';
import { sandboxSchema } from '../runtime/sandbox-schema';

/** One operation of a run whose operations are not known up front (Pulumi's engine decides them one at a time). */
export interface JournalOperation {
  applyId: string;
  seq: number;
  kind: string;
  name: string;
  operation: PlannedAction;
  specHash: string | null;
}

/**
 * Appends an operation to a run as pending and marks the run running again, so that a crash before
 * `closeJournalOperation` leaves exactly this operation for `roster apply` to confirm or plan again
 * (apply-journal.ts, recoverInterruptedApplies).
 */
export async function openJournalOperation(db: Queryable, sandbox: string, op: JournalOperation): Promise<void> {
  const schema = sandboxSchema(sandbox);
  await db.query(
    `insert into ${schema}.apply_journal (apply_id, seq, kind, name, operation, spec_hash) values ($1, $2, $3, $4, $5, $6)`,
    [op.applyId, op.seq, op.kind, op.name, op.operation, op.specHash],
  );
  await db.query(`update ${schema}.apply_runs set status = 'running', finished_at = null where apply_id = $1`, [
    op.applyId,
  ]);
}

/**
 * Marks the operation done or failed; `runIdle` (no other operation of the run in flight) closes the
 * run as completed, so a run between two operations is never taken for an interrupted one.
 */
export async function closeJournalOperation(
  db: Queryable,
  sandbox: string,
  op: Pick<JournalOperation, 'applyId' | 'seq'>,
  outcome: { status: 'done' | 'failed'; error?: string; runIdle: boolean },
): Promise<void> {
  const schema = sandboxSchema(sandbox);
  await db.query(
    `update ${schema}.apply_journal set status = $3, error = $4, completed_at = now() where apply_id = $1 and seq = $2`,
    [op.applyId, op.seq, outcome.status, outcome.error ?? null],
  );
  if (outcome.runIdle)
    await db.query(
      `update ${schema}.apply_runs set status = 'completed', finished_at = now() where apply_id = $1 and status = 'running'`,
      [op.applyId],
    );
}
