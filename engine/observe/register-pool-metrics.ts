import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';

/** `roster_db_pool_connections{state}`: the process's database pool (total, idle, and requests waiting). */
export function registerPoolMetrics(registry: Registry, pool: Pool): void {
  new Gauge({
    name: 'roster_db_pool_connections',
    help: "Connections of this process's database pool: total, idle, and queries waiting for one.",
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
}
