import type { Pool } from 'pg';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { buildConnector, closeConnector } from './build-connector';
import {
  type ActivationMember,
  type ConnectorEnvironment,
  type DestinationConnector,
  destinationFields,
} from './connector';
import { tryLockDestination } from './destination-lock';
import { type MemberReader, readCurrentMembers } from './read-activation-members';
import type { ActivationConfig, AppliedDestination } from './read-applied-destinations';

/** What a mirror check found for one segment of a destination. */
export interface SegmentDrift {
  segment: string;
  expected: number;
  missing: number;
  unexpected: number;
  repaired: boolean;
}

/**
 * Compares what the destination actually holds (read back from it: Marketo list members, the
 * table) with each bound segment's current members, records the drift in `destination_state`
 * and, with `repair`, makes the destination equal to the membership. Destinations that cannot be
 * read (webhook, file) are refused with a reason.
 */
export async function checkMirror(
  pool: Pool,
  target: { sandbox: string; destination: AppliedDestination; config: ActivationConfig; repair: boolean },
  environment: ConnectorEnvironment,
): Promise<SegmentDrift[]> {
  const schema = sandboxSchema(target.sandbox);
  // Under the delivery lock: a repair racing a batch in flight could undo what the batch does.
  const lock = await tryLockDestination(pool, schema, target.destination.name);
  if (!lock)
    throw new MirrorBusyError(
      `Destination/${target.destination.name} is being delivered right now; try again in a moment`,
    );
  let connector: DestinationConnector | undefined;
  try {
    connector = await buildConnector(pool, target.sandbox, target.destination, environment);
    const mirror = connector.mirror?.bind(connector);
    if (!mirror) throw new MirrorUnsupportedError(`${target.destination.spec.type} destinations cannot be read back`);
    const reader: MemberReader = {
      schema,
      catalog: target.config.catalog,
      fields: destinationFields(target.destination.spec),
      segmentSpec: (segment) => target.config.segments.get(segment),
    };
    const context = {
      currentMembers: (segment: string) => readCurrentMembers(pool, reader, segment),
      signal: new AbortController().signal,
      log: environment.log,
    };
    const drifts: SegmentDrift[] = [];
    for (const binding of target.destination.spec.segments) {
      const expected: ActivationMember[] = [];
      for await (const page of readCurrentMembers(pool, reader, binding.segment)) expected.push(...page);
      const drift = await mirror(binding, expected, { repair: target.repair }, context);
      drifts.push({
        segment: binding.segment,
        expected: expected.length,
        missing: drift.missing.length,
        unexpected: drift.unexpected.length,
        repaired: target.repair,
      });
    }
    await pool.query(
      `insert into ${schema}.destination_state (destination, mirror_checked_at, mirror_drift) values ($1, now(), $2)
       on conflict (destination) do update set mirror_checked_at = now(), mirror_drift = $2`,
      [target.destination.name, JSON.stringify(drifts)],
    );
    return drifts;
  } finally {
    if (connector) await closeConnector(connector);
    await lock.unlock();
  }
}

/** Another worker is delivering the destination; a mirror check waits for a quiet moment. */
export class MirrorBusyError extends Error {
  override readonly name = 'MirrorBusyError';
}

/** The destination type cannot be read back, so its contents cannot be compared. */
export class MirrorUnsupportedError extends Error {
  override readonly name = 'MirrorUnsupportedError';
}
