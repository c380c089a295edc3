import pino from 'pino';
import type { LogLevel } from './log-level';

/** One structured log event: `msg`, an optional `level` (default info) and fields such as `source`, `runId`. */
export type LogEntry = Record<string, unknown>;

/** What the service's parts are handed to log with (passed down, never global). */
export type LogFn = (entry: LogEntry) => void;

/**
 * Keys that may hold a secret, removed from every line as defence in depth: the code logs names of
 * secrets and never their values, but a connector's error object or a spec copied into a line must
 * not leak one.
 */
export const REDACTED_KEYS = [
  'token',
  'accessToken',
  'access_token',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'apiKey',
  'authorization',
  'signingSecret',
];

const REDACT_PATHS = [...REDACTED_KEYS, ...REDACTED_KEYS.map((key) => `*.${key}`), 'headers.authorization'];

export interface LoggerOptions {
  level: LogLevel;
  /** Where each line goes (standard output for `roster run`). */
  write: (line: string) => void;
  /** Fields on every line, e.g. `{ sandbox }`. */
  base: LogEntry;
}

/**
 * The service's logger: pino, one JSON line per event with `time` (ISO), `level` (its name), `msg`
 * and the event's fields; secret-bearing keys redacted. Returns the `LogFn` the code passes down:
 * an entry's `level` picks the pino method, so callers stay a plain function of one object.
 */
export function createLogger(options: LoggerOptions): LogFn {
  const logger = pino(
    {
      level: options.level,
      base: options.base,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    { write: options.write },
  );
  return (entry) => {
    const { level, msg, ...fields } = entry;
    const method = typeof level === 'string' && level in LEVEL_METHODS ? (level as keyof typeof LEVEL_METHODS) : 'info';
    logger[method](fields, typeof msg === 'string' ? msg : undefined);
  };
}

const LEVEL_METHODS = { trace: 1, debug: 1, info: 1, warn: 1, error: 1, fatal: 1 } as const;
