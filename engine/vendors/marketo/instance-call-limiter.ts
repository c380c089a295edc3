import type { Pool } from 'pg';
import { admitInstanceCall, endInstanceCall, renewInstanceCall } from '../../runtime/marketo/instance-calls';
import { marketoLimitsPool } from '../../runtime/marketo/marketo-limits-pool';
import type { CallGate, CallLimits, ReleaseCall } from './call-limiter';
import { marketoInstanceOf } from './marketo-instance';

/** How long an admitted call counts as in flight without news; renewed every third of it while it lasts. */
const LEASE_MS = 30_000;

/**
 * The calls of this process to one Marketo instance. The database decides admissions for every
 * process (`admitInstanceCall`); here they are asked one at a time, in arrival order, and a call
 * ending in this process wakes the waiting admission at once. Each caller's limits apply to the
 * instance's total: a caller configured below Marketo's limits waits sooner, none exceeds its own.
 */
export class InstanceCallLimiter {
  private inFlight = 0;
  private admissions: Promise<unknown> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly pool: Pool,
    readonly instance: string,
  ) {}

  /** The gate one client passes, with its own limits. */
  gate(limits: CallLimits): CallGate {
    const acquire = () => this.acquire(limits);
    const owner = this;
    return {
      acquire,
      async run<T>(call: () => Promise<T>): Promise<T> {
        const release = await acquire();
        try {
          return await call();
        } finally {
          release();
        }
      },
      get active() {
        return owner.inFlight;
      },
    };
  }

  private acquire(limits: CallLimits): Promise<ReleaseCall> {
    const admitted = this.admissions.then(() => this.admitNext(limits));
    this.admissions = admitted.catch(() => undefined);
    return admitted;
  }

  private async admitNext(limits: CallLimits): Promise<ReleaseCall> {
    for (;;) {
      const outcome = await admitInstanceCall(this.pool, {
        instance: this.instance,
        maxConcurrency: limits.maxConcurrency,
        callsPerWindow: limits.callsPerWindow,
        windowMs: limits.windowMs,
        leaseMs: LEASE_MS,
      });
      if (outcome.admitted) return this.started(outcome.callId);
      await this.waitForChange(outcome.retryInMs);
    }
  }

  private started(callId: string): ReleaseCall {
    this.inFlight++;
    // A bulk file download holds its place while it streams, for longer than a lease.
    const renewal = setInterval(
      () => void renewInstanceCall(this.pool, callId, LEASE_MS).catch(() => undefined), // retried at the next tick
      LEASE_MS / 3,
    );
    renewal.unref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      clearInterval(renewal);
      this.inFlight--;
      // The end is recorded before the waiting admission looks again, or it would still count the
      // call as in flight. A failed record is ended by the lease instead.
      endInstanceCall(this.pool, callId)
        .catch(() => undefined)
        .finally(() => this.wake?.());
    };
  }

  private waitForChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, timeoutMs));
      this.wake = done;
    });
  }
}

const limiters = new WeakMap<Pool, InstanceCallLimiter>();

/**
 * The `callGate` option of a Marketo client whose calls count against the instance of `endpoint`
 * together with every other client of it: in this process (one `InstanceCallLimiter` per instance
 * and database) and in every other process using the database (`roster_shared.marketo_calls`).
 */
export function instanceCallGate(pool: Pool, endpoint: string): (limits: CallLimits) => CallGate {
  const instance = marketoInstanceOf(endpoint);
  const shared = marketoLimitsPool(pool, instance);
  let limiter = limiters.get(shared);
  if (!limiter) {
    limiter = new InstanceCallLimiter(shared, instance);
    limiters.set(shared, limiter);
  }
  const found = limiter;
  return (limits) => found.gate(limits);
}
