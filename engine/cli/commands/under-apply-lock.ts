import * as os from 'node:os';
import { closeProviderRuntime } from '../../../providers/runtime/provider-runtime';
import { readInterruptedApplies, recoverInterruptedApplies } from '../../deploy/apply-journal';
import { ApplyLockedError, acquireApplyLock, type LockingTool, lockHolder } from '../../deploy/apply-lock';
import type { Database } from '../../runtime/database';
import type { CliIo } from '../cli-io';
import { CommandError } from '../command-error';

/** Runs `work` holding the sandbox's apply lock, then releases it and closes the database. */
export async function underApplyLock(
  db: Database,
  options: { sandbox: string; lockTimeoutMs: number; tool: Exclude<LockingTool, 'pulumi'> },
  io: CliIo,
  work: () => Promise<number>,
): Promise<number> {
  // Named in the lock's holder row, so a refused `pulumi up` or apply says which tool holds it.
  const holder = lockHolder(options.tool, `${os.userInfo().username}@${os.hostname()}`, process.pid);
  try {
    const lock = await acquireApplyLock(db.pool, options.sandbox, holder, options.lockTimeoutMs).catch((error) => {
      if (!(error instanceof ApplyLockedError)) throw error;
      const wait =
        options.lockTimeoutMs > 0
          ? `; it was still held after ${options.lockTimeoutMs / 1000} s`
          : '; wait for it to finish, or retry with --lock-timeout 5m';
      throw new CommandError('APPLY_LOCKED', `${error.message}${wait}`);
    });
    try {
      await completeInterruptedApplies(db, options.sandbox, io);
      return await work();
    } finally {
      await lock.release();
    }
  } finally {
    await closeProviderRuntime();
    await db.close();
  }
}

async function completeInterruptedApplies(db: Database, sandbox: string, io: CliIo): Promise<void> {
  const interrupted = await readInterruptedApplies(db.pool, sandbox);
  if (interrupted.length === 0) return;
  const recovered = await recoverInterruptedApplies(db.pool, sandbox);
  io.stderr(
    `Completing ${recovered.runs} interrupted apply run(s): ${recovered.confirmed} operation(s) had been applied, ${recovered.replanned} are planned again.\n`,
  );
}
