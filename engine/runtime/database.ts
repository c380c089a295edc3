import { Pool } from 'pg';
import { startEmbeddedDatabase } from './embedded-database';

/** An open connection pool and where it points (without the password), for messages. */
export interface Database {
  pool: Pool;
  /** `127.0.0.1:5432/roster_ci` or `embedded (127.0.0.1:54012)`: never the password. */
  description: string;
  /** The connection URL, password included: hand it to providers, never print it. */
  url: string;
  close(): Promise<void>;
}

/**
 * `DATABASE_URL` when set; otherwise the embedded PostgreSQL, started (or reused) on first use.
 * The pool is sized for `roster run`: each delivery batch in flight holds a connection while its
 * destination answers (a drain takes at most half the pool: 8, against Marketo's 10 concurrent
 * calls), and evaluation and jobs need theirs meanwhile. Connections are opened only when needed.
 */
export async function openDatabase(env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<Database> {
  const url = env.DATABASE_URL || (await startEmbeddedDatabase(env, log));
  const pool = new Pool({ connectionString: url, max: 16, application_name: 'roster' });
  // A client losing its server (a restart) emits 'error'; without a listener that would crash the
  // process. The query in flight still rejects, and its caller reports it; idle clients are replaced.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const description = `${env.DATABASE_URL ? '' : 'embedded '}${describeUrl(url)}`;
  return { pool, description, url, close: () => pool.end() };
}

/** host:port/database of a connection URL, without credentials. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'the configured database';
  }
}
