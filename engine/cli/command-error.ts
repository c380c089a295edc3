/**
 * A failure the user can act on (database unreachable, sandbox locked, apply failed): printed as
 * `CODE message` on standard error, exit code 1, no stack trace. `cause` keeps the original error.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
