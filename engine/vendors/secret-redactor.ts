/** What replaces a secret in any text the client lets out. */
export const REDACTED = '[redacted]';

/**
 * Removes the client secret and every access token a vendor client has seen from text that leaves the
 * client (error messages, causes, log lines). Known values are replaced wherever they appear, even
 * inside an echoed URL or a server's error page; the query parameters and the header that carry
 * secrets are masked too, so a token this client never saw (someone else's) is not let out either.
 */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** The one redactor of the vendor clients (Marketo, Salesforce): each keeps one per client. */
  constructor(clientSecret: string) {
    this.remember(clientSecret);
  }

  /** Adds a value to hide from now on (each access token, as soon as it is received). */
  remember(secret: string): void {
    // A one- or two-character "secret" would shred every message; such values are not real secrets.
    if (secret.length >= 3) this.secrets.add(secret);
  }

  /** `text` with every known secret, secret-bearing parameter and bearer token masked. */
  scrub(text: string): string {
    let clean = text;
    for (const secret of this.secrets) {
      clean = clean.split(secret).join(REDACTED);
      // URLs carry the secret percent-encoded; hide that spelling too.
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) clean = clean.split(encoded).join(REDACTED);
    }
    return clean
      .replace(/((?:client_secret|access_token)=)[^&\s"']*/gi, `$1${REDACTED}`)
      .replace(/(Bearer\s+)[^\s"',]+/gi, `$1${REDACTED}`);
  }

  /**
   * A copy of `error` safe to attach as a `cause`: same name and code, scrubbed message and no
   * stack (a stack can quote the URL). Non-errors become their scrubbed string form.
   */
  scrubError(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(this.scrub(String(error)));
    const copy = new Error(this.scrub(error.message));
    copy.name = error.name;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') Object.assign(copy, { code });
    // fetch's "fetch failed" says nothing; the useful part (ECONNREFUSED...) is in its cause.
    if (error.cause !== undefined) Object.assign(copy, { cause: this.scrubError(error.cause) });
    copy.stack = `${copy.name}: ${copy.message}`;
    return copy;
  }

  /**
   * `error` itself with its message and stack scrubbed, for errors the client built and callers
   * match on (class, code and status kept). Non-errors are returned as they are.
   */
  scrubInPlace(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    error.message = this.scrub(error.message);
    if (error.stack) error.stack = this.scrub(error.stack);
    return error;
  }
}
