import type { ServerResponse } from 'node:http';
import type { ServerLimits } from './marketo-server-options';

/**
 * The instance limits of the fake Marketo: API calls in flight (615 past `maxConcurrency`) and
 * accepted calls per sliding window (606 past `callsPerWindow`). Refused calls do not count
 * against the window, as Marketo documents for calls answered with an error.
 */
export class FakeLimits {
  /** Calls refused for exceeding a limit, by code. */
  readonly rejections = { '606': 0, '615': 0 };
  private inFlight = 0;
  private mostInFlight = 0;
  /** Arrival times of accepted calls: all of them (for assertions), and those still in the window. */
  private readonly accepted: number[] = [];
  private inWindow: number[] = [];

  constructor(readonly limits: ServerLimits) {}

  /** Counts a call as in flight until its answer is written or its connection closes. */
  enter(response: ServerResponse): void {
    this.inFlight++;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    // 'finish' (answer handed to the OS) comes first; 'close' covers dropped connections.
    let ended = false;
    const end = (): void => {
      if (!ended) this.inFlight--;
      ended = true;
    };
    response.once('finish', end);
    response.once('close', end);
  }

  /** The limit a call arriving at `receivedAt` exceeds, counted as a rejection; undefined if none. */
  refusal(receivedAt: number): '606' | '615' | undefined {
    if (this.inFlight > this.limits.maxConcurrency) return this.reject('615');
    this.inWindow = this.inWindow.filter((at) => at > receivedAt - this.limits.windowMs);
    if (this.inWindow.length >= this.limits.callsPerWindow) return this.reject('606');
    return undefined;
  }

  /** Counts a call that passed every check against the window. */
  accept(receivedAt: number): void {
    this.inWindow.push(receivedAt);
    this.accepted.push(receivedAt);
  }

  /** API calls accepted so far (what Marketo counts against the daily quota). */
  acceptedCount(): number {
    return this.accepted.length;
  }

  /** Most calls that were ever in flight at once. */
  maxInFlight(): number {
    return this.mostInFlight;
  }

  /** Most accepted calls that arrived within any `windowMs` (half-open, as enforced). */
  maxCallsInAnyWindow(windowMs = this.limits.windowMs): number {
    let most = 0;
    let first = 0;
    for (let last = 0; last < this.accepted.length; last++) {
      while (this.accepted[first]! <= this.accepted[last]! - windowMs) first++;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  private reject(code: '606' | '615'): '606' | '615' {
    this.rejections[code]++;
    return code;
  }
}
