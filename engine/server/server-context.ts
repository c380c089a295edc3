import type { Pool } from 'pg';
import type { RosterMetrics } from '../observe/roster-metrics';

/** What every route of the server is handed: the database, the sandbox, the environment, the log. */
export interface ServerContext {
  pool: Pool;
  sandbox: string;
  env: NodeJS.ProcessEnv;
  /** Structured log line (JSON). */
  log: (entry: Record<string, unknown>) => void;
  /** The process's metrics, served at `/metrics` (404 without). */
  metrics?: RosterMetrics;
}
