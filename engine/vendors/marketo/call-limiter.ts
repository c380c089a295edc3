/** Ends a call admitted by `CallLimiter.acquire`; calling it again does nothing. */
export type ReleaseCall = () => void;

/** What every Marketo call passes: a process-local `CallLimiter`, or an `InstanceCallLimiter` shared through PostgreSQL. */
export interface CallGate {
  /** Waits for a free place, then returns the function that ends the call. */
  acquire(): Promise<ReleaseCall>;
  /** Runs `call` inside an admitted place, releasing it however `call` ends. */
  run<T>(call: () => Promise<T>): Promise<T>;
  /** Calls this process has in flight through the gate (for tests and diagnostics). */
  readonly active: number;
}

/** Limits of one Marketo instance, shared by every integration that calls it. */
export interface CallLimits {
  /** Most calls in flight at once (Marketo allows 10). */
  maxConcurrency: number;
  /** Most calls in any window of `windowMs` (Marketo allows 100 in 20 s). */
  callsPerWindow: number;
  /** Length of the sliding window, in ms (20 000 for Marketo; tests compress it). */
  windowMs: number;
}

/**
 * Admits calls in arrival order so that at most `maxConcurrency` are in flight and at most
 * `callsPerWindow` fall in any sliding window of `windowMs`.
 *
 * A call counts against the window from its start until `windowMs` after it *ended*, not after
 * it started. Marketo counts a call when it arrives, which is some time after we send it; counting
 * from the end (when the answer has certainly arrived) makes any `windowMs` stretch of arrivals
 * at Marketo hold at most `callsPerWindow` calls, whatever the network delay. It costs at most one
 * call's latency of throughput per window.
 */
export class CallLimiter implements CallGate {
  private inFlight = 0;
  /** End times of finished calls still inside the window, oldest first. */
  private readonly recentEnds: number[] = [];
  /** Admission is one at a time, so callers are served in the order they asked. */
  private admissions: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    readonly limits: CallLimits,
    private readonly now: () => number = Date.now,
  ) {
    for (const [name, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`CallLimiter: ${name} must be a positive integer, got ${value}`);
      }
    }
  }

  /** Waits for a free place, then returns the function that ends the call. */
  acquire(): Promise<ReleaseCall> {
    const admitted = this.admissions.then(() => this.admitNext());
    this.admissions = admitted.catch(() => undefined);
    return admitted;
  }

  /** Runs `call` inside an admitted place, releasing it however `call` ends. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await call();
    } finally {
      release();
    }
  }

  /** Calls in flight now (for tests and diagnostics). */
  get active(): number {
    return this.inFlight;
  }

  private async admitNext(): Promise<ReleaseCall> {
    for (;;) {
      const now = this.now();
      this.forgetEndsBefore(now - this.limits.windowMs);
      const inWindow = this.inFlight + this.recentEnds.length;
      if (this.inFlight < this.limits.maxConcurrency && inWindow < this.limits.callsPerWindow) break;
      // Wait for a call to end, or for the oldest finished call to leave the window.
      const oldest = this.recentEnds[0];
      await this.waitForChange(oldest === undefined ? undefined : oldest + this.limits.windowMs - now);
    }
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.recentEnds.push(this.now());
      this.wake?.();
    };
  }

  private forgetEndsBefore(cutoff: number): void {
    while (this.recentEnds.length > 0 && this.recentEnds[0]! <= cutoff) this.recentEnds.shift();
  }

  private waitForChange(timeoutMs: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      if (timeoutMs !== undefined) timer = setTimeout(done, Math.max(1, timeoutMs));
      this.wake = done;
    });
  }
}
