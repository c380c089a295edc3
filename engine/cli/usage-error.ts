/** A mistake on the command line (bad option value); printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const SANDBOX_NAME = /^[a-z][a-z0-9_]{0,30}$/;

/** Sandbox names become part of a PostgreSQL schema name (`roster_<sandbox>`), hence the strict pattern. */
export function parseSandbox(value: string): string {
  if (!SANDBOX_NAME.test(value)) {
    throw new UsageError(
      `--sandbox "${value}" is not a valid sandbox name; use lower-case letters, digits and underscores, starting with a letter (at most 31 characters)`,
    );
  }
  return value;
}

/** `--format` restricted to the formats a command supports. */
export function parseFormat<F extends string>(value: string, allowed: readonly F[]): F {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--format "${value}" is not supported here; use one of: ${allowed.join(', ')}`);
  }
  return value as F;
}
