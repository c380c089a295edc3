import { tokenMatches } from '../bearer-token';
import { READ_TOKEN_VARIABLE } from '../read-api/authorize-read';
import type { ConsolePermission } from './console-sessions';

/** A token for the console alone; without it the read API's token signs in. */
export const CONSOLE_TOKEN_VARIABLE = 'ROSTER_CONSOLE_TOKEN';
/** The token whose sessions may pause, resume and retry destinations; without it the console only reads. */
export const CONSOLE_WRITE_TOKEN_VARIABLE = 'ROSTER_CONSOLE_WRITE_TOKEN';

/** Whether the console can be signed in to at all: a read token or a write token is set. */
export function consoleEnabled(env: NodeJS.ProcessEnv): boolean {
  return Boolean(readToken(env) || env[CONSOLE_WRITE_TOKEN_VARIABLE]);
}

/**
 * The permission a token given at the login form grants: `write` for the write token, `read` for
 * the console's (or the read API's) token, undefined for anything else. Compared in constant time.
 */
export function permissionOfToken(given: string, env: NodeJS.ProcessEnv): ConsolePermission | undefined {
  const write = env[CONSOLE_WRITE_TOKEN_VARIABLE];
  if (write && tokenMatches(given, write)) return 'write';
  const read = readToken(env);
  if (read && tokenMatches(given, read)) return 'read';
  return undefined;
}

function readToken(env: NodeJS.ProcessEnv): string | undefined {
  return env[CONSOLE_TOKEN_VARIABLE] || env[READ_TOKEN_VARIABLE] || undefined;
}
