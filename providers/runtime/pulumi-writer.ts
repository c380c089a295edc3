/**
 * What makes `pulumi up` one writer among others on a sandbox. The first write of a Pulumi run takes
 * the sandbox's apply lock, the one `roster apply` takes, and keeps it for the life of this process:
 * Pulumi starts one dynamic-provider host per `pulumi up`, `destroy` or `refresh` and stops it at the
 * end, and PostgreSQL drops a session lock when its connection closes, so a killed run never leaves
 * it behind. The run is recorded in the apply journal like an apply, one operation per write, so
 * `roster plan` and `roster apply` see an interrupted `pulumi up` as they see an interrupted apply.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { startApplyRun } from '../../engine/deploy/apply-journal';
import { type ApplyLock, ApplyLockedError, acquireApplyLock, lockHolder } from '../../engine/deploy/apply-lock';
import { closeJournalOperation, openJournalOperation } from '../../engine/deploy/journal-operation';
import type { PlannedAction } from '../../engine/plan/plan';
import type { Database } from '../../engine/runtime/database';

interface PulumiRun {
  applyId: string;
  lock: ApplyLock;
  nextSeq: number;
  inFlight: number;
}

/** By database URL and sandbox. A refused lock stays refused: one run is the writer or none of it is. */
const runs = new Map<string, Promise<PulumiRun>>();

export interface PulumiOperation {
  kind: string;
  name: string;
  operation: PlannedAction;
  specHash: string | null;
}

/** Runs `write` as one journalled operation of this process's Pulumi run on `sandbox`, under the lock. */
export async function writeAsPulumi<T>(
  db: Database,
  sandbox: string,
  appliedBy: string,
  op: PulumiOperation,
  write: () => Promise<T>,
): Promise<T> {
  const run = await holdSandbox(db, sandbox, appliedBy);
  const entry = { applyId: run.applyId, seq: run.nextSeq++ };
  run.inFlight++;
  await openJournalOperation(db.pool, sandbox, { ...entry, ...op });
  try {
    const result = await write();
    run.inFlight--;
    await closeJournalOperation(db.pool, sandbox, entry, { status: 'done', runIdle: run.inFlight === 0 });
    return result;
  } catch (error) {
    run.inFlight--;
    const message = error instanceof Error ? error.message : String(error);
    await closeJournalOperation(db.pool, sandbox, entry, {
      status: 'failed',
      error: message,
      runIdle: run.inFlight === 0,
    });
    throw error;
  }
}

function holdSandbox(db: Database, sandbox: string, appliedBy: string): Promise<PulumiRun> {
  const key = `${db.url}\n${sandbox}`;
  let run = runs.get(key);
  if (!run) {
    run = startRun(db, sandbox, appliedBy);
    run.catch(() => {}); // reported to every write that awaits it
    runs.set(key, run);
  }
  return run;
}

async function startRun(db: Database, sandbox: string, appliedBy: string): Promise<PulumiRun> {
  const lock = await acquireApplyLock(db.pool, sandbox, lockHolder('pulumi', appliedBy, process.pid), 0).catch(
    (error) => {
      if (!(error instanceof ApplyLockedError)) throw error;
      throw new Error(
        `APPLY_LOCKED ${error.message}; Pulumi changed nothing in the sandbox: wait for it to finish, then run pulumi again`,
      );
    },
  );
  const applyId = randomUUID();
  await startApplyRun(db.pool, sandbox, { applyId, appliedBy, host: os.hostname(), pid: process.pid }, []);
  return { applyId, lock, nextSeq: 1, inFlight: 0 };
}

/** Releases every lock this process holds for Pulumi (the CLI and tests, before closing their pools). */
export async function releasePulumiRuns(): Promise<void> {
  const held = [...runs.values()];
  runs.clear();
  await Promise.all(held.map((run) => run.then((r) => r.lock.release()).catch(() => {})));
}
