import { type Database, openDatabase } from '../../runtime/database';
import { migrateSandbox } from '../../runtime/migrate-sandbox';
import type { CliIo } from '../cli-io';
import { CommandError } from '../command-error';

/**
 * Opens the runtime database (DATABASE_URL, else the embedded default, whose first start is
 * reported on stderr) and brings the sandbox's schema up to date.
 */
export async function openSandbox(sandbox: string, io: CliIo): Promise<Database> {
  let db: Database;
  try {
    db = await openDatabase(io.env, (line) => io.stderr(`${line}\n`));
  } catch (error) {
    throw new CommandError(
      'RUNTIME_DATABASE',
      `cannot start the embedded PostgreSQL: ${reason(error)}; set DATABASE_URL to use another server`,
      { cause: error },
    );
  }
  try {
    await migrateSandbox(db.pool, sandbox);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw new CommandError(
      'RUNTIME_DATABASE',
      `cannot use the database at ${db.description}: ${reason(error)}; check DATABASE_URL and that the server is running`,
      { cause: error },
    );
  }
  return db;
}

function reason(error: unknown): string {
  const e = error as { message?: string; code?: string };
  return e?.message || e?.code || String(error);
}
