/** The levels `ROSTER_LOG_LEVEL` accepts, from the most verbose; `silent` writes nothing. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/** The level named by `ROSTER_LOG_LEVEL` (default `info`), or undefined when it names none. */
export function tryGetLogLevel(env: NodeJS.ProcessEnv): LogLevel | undefined {
  const wanted = (env.ROSTER_LOG_LEVEL ?? '').trim().toLowerCase() || 'info';
  return LOG_LEVELS.find((level) => level === wanted);
}
