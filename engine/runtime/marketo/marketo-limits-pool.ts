import { Pool } from 'pg';

const pools = new WeakMap<Pool, Map<string, Pool>>();

/**
 * A small pool of its own, beside `pool`, for counting the calls to one Marketo instance. Its own,
 * because a batch in flight holds a connection of the delivery pool while its calls wait for
 * admission: taking the admission's connection from the same pool could wait forever once every
 * connection is a batch in flight. One per instance, because an admission waiting for an instance's
 * lock holds its connection meanwhile: two instances never wait for each other's connections.
 * Idle connections close after a second and never keep the process alive.
 */
export function marketoLimitsPool(pool: Pool, instance: string): Pool {
  const byInstance = pools.get(pool) ?? new Map<string, Pool>();
  pools.set(pool, byInstance);
  let limits = byInstance.get(instance);
  if (!limits) {
    limits = new Pool({
      ...pool.options,
      max: 2,
      idleTimeoutMillis: 1000,
      allowExitOnIdle: true,
      application_name: 'roster-marketo-limits',
    });
    limits.on('error', () => undefined); // an idle connection lost: the next admission opens another
    byInstance.set(instance, limits);
  }
  return limits;
}
