import { type Database, openDatabase } from '../../runtime/database';
import { migrateSandbox, readSandboxState, type SandboxState } from '../../runtime/migrate-sandbox';
import type { CliIo } from '../cli-io';
import { CommandError } from '../command-error';

/**
 * Opens the runtime database (DATABASE_URL, else the embedded default, whose first start is
 * reported on stderr) and brings the sandbox's schema up to date (commands that write).
 */
export async function openSandbox(sandbox: string, io: CliIo): Promise<Database> {
  const db = await open(io);
  await useDatabase(db, () => migrateSandbox(db.pool, sandbox));
  return db;
}

/**
 * Opens the runtime database without migrating or creating anything (`roster plan` must work with
 * a SELECT-only role), and reports whether the sandbox exists and which migrations it lacks.
 */
export async function openSandboxReadOnly(sandbox: string, io: CliIo): Promise<{ db: Database; state: SandboxState }> {
  const db = await open(io);
  const state = await useDatabase(db, () => readSandboxState(db.pool, sandbox));
  return { db, state };
}

/**
 * Opens the runtime database and brings the sandbox's schema up to date, reporting what it was
 * before (a saved plan checks that the sandbox still exists, or still does not, as planned).
 */
export async function openSandboxAfterState(
  sandbox: string,
  io: CliIo,
): Promise<{ db: Database; stateBefore: SandboxState }> {
  const db = await open(io);
  const stateBefore = await useDatabase(db, async () => {
    const state = await readSandboxState(db.pool, sandbox);
    await migrateSandbox(db.pool, sandbox);
    return state;
  });
  return { db, stateBefore };
}

async function open(io: CliIo): Promise<Database> {
  try {
    return await openDatabase(io.env, (line) => io.stderr(`${line}\n`));
  } catch (error) {
    throw new CommandError(
      'RUNTIME_DATABASE',
      `cannot start the embedded PostgreSQL: ${reason(error)}; set DATABASE_URL to use another server`,
      { cause: error },
    );
  }
}

/** Runs the first queries; a failure closes the pool and becomes a user-facing error. */
async function useDatabase<T>(db: Database, first: () => Promise<T>): Promise<T> {
  try {
    return await first();
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new CommandError(
      'RUNTIME_DATABASE',
      `cannot use the database at ${db.description}: ${reason(error)}; check DATABASE_URL and that the server is running`,
      { cause: error },
    );
  }
}

function reason(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return e?.message || e?.code || String(error);
}
