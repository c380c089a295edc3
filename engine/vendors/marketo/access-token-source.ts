/** An access token as the identity endpoint issued it. */
export interface IssuedToken {
  accessToken: string;
  /** Seconds the token stays valid, counted from when it was issued (`expires_in`). */
  expiresInSeconds: number;
}

/**
 * Keeps the current access token and renews it before it expires or when Marketo refuses it.
 *
 * Concurrent callers share one renewal: when ten calls in flight all get 601, only one token
 * request goes out. Marketo's identity endpoint hands out the *same* token until it expires (with a
 * shrinking `expires_in`), so a token close to its end is used until it ends rather than renewed in
 * a loop; a call that then meets 602 renews it and retries (see `MarketoTransport`).
 */
export class AccessTokenSource {
  private current: { token: string; renewAt: number } | undefined;
  private renewal: Promise<string> | undefined;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    /** Renew this long before the token's end, so a call never starts with a token about to expire. */
    private readonly renewMarginMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token valid for a while yet, requesting one when there is none or it is due for renewal. */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.renewAt) return this.current.token;
    this.renewal ??= this.renew().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  /**
   * Forgets `token` after Marketo refused it (601, 602). A token other than the current one was
   * already replaced by a concurrent call, so it is not renewed twice.
   */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async renew(): Promise<string> {
    const issuedAt = this.now();
    const { accessToken, expiresInSeconds } = await this.issue();
    const lifetimeMs = Math.max(0, expiresInSeconds) * 1000;
    // With less life left than the margin, keep half of what remains rather than renewing at once.
    const margin = Math.min(this.renewMarginMs, lifetimeMs / 2);
    this.current = { token: accessToken, renewAt: issuedAt + lifetimeMs - margin };
    return accessToken;
  }
}
