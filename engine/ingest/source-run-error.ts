/** Raised for a source that cannot be run as asked (not applied, push-only, an unreadable object); the message says what to do. */
export class SourceRunError extends Error {
  override readonly name = 'SourceRunError';
}
