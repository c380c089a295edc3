/** How long a claim is leased, and how many claims a change may lose before it is dead-lettered. */
export interface DeliveryLease {
  leaseMs: number;
  maxLostClaims: number;
}

/**
 * 30 s, renewed every 10 s while the batch is in flight: the same lease as a Marketo call's place
 * (decision 39). A worker that dies gives its batch back within 30 s.
 */
const DEFAULT_LEASE_MS = 30_000;

/** A change that took its worker down this many times is dead-lettered (decision 62). */
const MAX_LOST_CLAIMS = 3;

/**
 * The delivery lease of this process: `ROSTER_DELIVERY_LEASE_MS` when set (tests that kill workers
 * shorten it; an operator may lengthen it for a destination that answers slowly and a database far
 * away), else 30 s.
 */
export function deliveryLeaseOf(env: NodeJS.ProcessEnv): DeliveryLease {
  const text = env.ROSTER_DELIVERY_LEASE_MS;
  if (text === undefined || text === '') return { leaseMs: DEFAULT_LEASE_MS, maxLostClaims: MAX_LOST_CLAIMS };
  const leaseMs = Number(text);
  if (!Number.isInteger(leaseMs) || leaseMs < 100)
    throw new Error(
      `ROSTER_DELIVERY_LEASE_MS is "${text}": it must be a whole number of milliseconds, at least 100; unset it for the default 30000`,
    );
  return { leaseMs, maxLostClaims: MAX_LOST_CLAIMS };
}
