import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket of `perSecond` requests with a burst of one second's worth: `take` waits until a
 * request may start. Without a rate it never waits.
 */
export class RateBudget {
  private tokens: number;
  private updatedAt = Date.now();

  constructor(private readonly perSecond: number | undefined) {
    this.tokens = Math.max(1, perSecond ?? 1);
  }

  async take(signal?: AbortSignal): Promise<void> {
    const rate = this.perSecond;
    if (rate === undefined) return;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(Math.max(1, rate), this.tokens + ((now - this.updatedAt) / 1000) * rate);
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / rate) * 1000), undefined, { signal });
    }
  }
}
