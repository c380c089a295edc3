import { type DestinationStatus, readDestinationStatus } from '../../../activation/destination-status';
import type { ActivationConfig } from '../../../activation/read-applied-destinations';
import type { Queryable } from '../../../runtime/queryable';
import { sandboxSchema } from '../../../runtime/sandbox-schema';

export type { DestinationStatus };

/** The status of every applied destination, as `roster destination status` reads each. */
export async function readDestinationStatuses(
  db: Queryable,
  sandbox: string,
  config: ActivationConfig,
): Promise<DestinationStatus[]> {
  const statuses: DestinationStatus[] = [];
  for (const d of config.destinations)
    statuses.push(await readDestinationStatus(db, sandboxSchema(sandbox), { name: d.name, type: d.spec.type }));
  return statuses;
}

/** Paused, dead-lettering or retrying: an operator should look. */
export function needsAttention(s: DestinationStatus): boolean {
  return s.paused || s.dead > 0 || s.retrying > 0;
}
