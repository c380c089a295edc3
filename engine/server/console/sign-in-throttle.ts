/** Failed sign-ins allowed per client address within {@link WINDOW_MS}. */
const MAX_FAILURES = 10;
const WINDOW_MS = 10 * 60 * 1000;
/** Addresses remembered at most, so a flood of sources cannot grow the process without bound. */
const MAX_ADDRESSES = 10_000;

/**
 * Slows down guessing the token at the sign-in form: after 10 wrong tokens from one address in 10
 * minutes, that address is refused until the oldest failure leaves the window. Per process, in
 * memory, like the sessions (decision 60).
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until `address` may try again, or 0 when it may try now. */
  waitMs(address: string): number {
    const recent = this.recent(address);
    if (recent.length < MAX_FAILURES) return 0;
    return recent[0]! + WINDOW_MS - this.now();
  }

  recordFailure(address: string): void {
    if (!this.failures.has(address) && this.failures.size >= MAX_ADDRESSES)
      this.failures.delete(this.failures.keys().next().value!);
    this.failures.set(address, [...this.recent(address), this.now()]);
  }

  /** A successful sign-in clears the address's failures. */
  recordSuccess(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - WINDOW_MS;
    return (this.failures.get(address) ?? []).filter((at) => at > since);
  }
}
