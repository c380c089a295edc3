import type { Pool, PoolClient } from 'pg';
import type { SegmentBinding } from '../../schemas/generated/resource-types';
import { withTransaction } from '../runtime/with-transaction';
import { canonicalJson } from '../util/canonical-json';
import type { AppliedDestination } from './read-applied-destinations';

/** A binding as last synchronised (kept after removal: its onRemove and listId still apply). */
export interface StoredBinding {
  segment: string;
  binding: SegmentBinding;
  removed: boolean;
}

export interface BindingSync {
  /** Changes enqueued to bring new (or re-pointed) bindings up to the current membership. */
  backfilled: number;
  /** Exits enqueued for segments removed from the destination with `onRemove: remove`. */
  removed: number;
  bindings: Map<string, StoredBinding>;
}

/**
 * Brings the destination's bindings in line with its applied spec. A new binding (or one whose
 * listId changed) is backfilled: the current members the destination does not hold enter, and
 * what it holds beyond them exits. A removed binding empties the destination of that segment
 * (`onRemove: remove`) or forgets it (`keep`); its undelivered changes are cancelled. Each step is
 * one transaction under the segment's evaluation lock, and computed as a difference, so running it
 * again enqueues nothing new.
 */
export async function syncBindings(pool: Pool, schema: string, destination: AppliedDestination): Promise<BindingSync> {
  const stored = await readStoredBindings(pool, schema, destination.name);
  const result: BindingSync = { backfilled: 0, removed: 0, bindings: stored };
  for (const binding of destination.spec.segments) {
    const before = stored.get(binding.segment);
    if (before && !before.removed && canonicalJson(before.binding) === canonicalJson(binding)) continue;
    const repointed = before !== undefined && !before.removed && before.binding.listId !== binding.listId;
    result.backfilled += await withTransaction(pool, (client) =>
      backfill(client, schema, { destination: destination.name, binding, repointed }),
    );
    stored.set(binding.segment, { segment: binding.segment, binding, removed: false });
  }
  const declared = new Set(destination.spec.segments.map((b) => b.segment));
  for (const entry of stored.values()) {
    if (entry.removed || declared.has(entry.segment)) continue;
    result.removed += await withTransaction(pool, (client) => unbind(client, schema, destination.name, entry));
    entry.removed = true;
  }
  return result;
}

export async function readStoredBindings(
  pool: Pool,
  schema: string,
  destination: string,
): Promise<Map<string, StoredBinding>> {
  const { rows } = await pool.query<{ segment: string; binding: SegmentBinding; removed: boolean }>(
    `select segment, binding, removed_at is not null as removed from ${schema}.destination_bindings where destination = $1`,
    [destination],
  );
  return new Map(rows.map((r) => [r.segment, r]));
}

async function lockSegment(client: PoolClient, schema: string, segment: string): Promise<void> {
  // The lock segment evaluation holds while it writes membership and outbox rows.
  await client.query("select pg_advisory_xact_lock(hashtext('roster.segment'), hashtext($1))", [
    `${schema}/${segment}`,
  ]);
}

async function backfill(
  client: PoolClient,
  schema: string,
  target: { destination: string; binding: SegmentBinding; repointed: boolean },
): Promise<number> {
  const { destination, binding } = target;
  await lockSegment(client, schema, binding.segment);
  // A new list holds none of the members: what the old one held says nothing about it.
  if (target.repointed)
    await client.query(`delete from ${schema}.destination_members where destination = $1 and segment = $2`, [
      destination,
      binding.segment,
    ]);
  // A segment bound again while the exits of its removal are still queued: those exits are void
  // (the members stay), and the difference below starts from what the destination holds.
  await client.query(
    `update ${schema}.activation_outbox set status = 'cancelled', detail = 'segment bound to the destination again'
     where destination = $1 and segment = $2 and status = 'pending' and idempotency_key like $1 || ':removed:%'`,
    [destination, binding.segment],
  );
  const generation = Date.now();
  const open = (alias: string) => `not exists (select 1 from ${schema}.activation_outbox o
      where o.destination = $1 and o.segment = $2 and o.subject_id = ${alias}.subject_id and o.status = 'pending')`;
  const { rowCount } = await client.query(
    `insert into ${schema}.activation_outbox (destination, segment, subject_type, subject_id, change, idempotency_key, history_id)
     select $1, $2, m.subject_type, m.subject_id, 'entered', $1 || ':backfill:' || $2 || ':' || m.subject_id || ':' || $3, null::bigint
     from ${schema}.segment_memberships m
     where m.segment = $2 and ${open('m')}
       and not exists (select 1 from ${schema}.destination_members d where d.destination = $1 and d.segment = $2 and d.subject_id = m.subject_id)
     union all
     select $1, $2, d.subject_type, d.subject_id, 'exited', $1 || ':backfill:' || $2 || ':' || d.subject_id || ':' || $3, null::bigint
     from ${schema}.destination_members d
     where d.destination = $1 and d.segment = $2 and ${open('d')}
       and not exists (select 1 from ${schema}.segment_memberships m where m.segment = $2 and m.subject_id = d.subject_id)
     on conflict (idempotency_key) do nothing`,
    [destination, binding.segment, String(generation)],
  );
  await client.query(
    `insert into ${schema}.destination_bindings (destination, segment, binding) values ($1, $2, $3)
     on conflict (destination, segment) do update set binding = $3, bound_at = now(), removed_at = null`,
    [destination, binding.segment, JSON.stringify(binding)],
  );
  return rowCount ?? 0;
}

async function unbind(client: PoolClient, schema: string, destination: string, entry: StoredBinding): Promise<number> {
  await lockSegment(client, schema, entry.segment);
  const keep = entry.binding.onRemove === 'keep';
  await client.query(
    `update ${schema}.activation_outbox set status = 'cancelled', detail = $3
     where destination = $1 and segment = $2 and status = 'pending'`,
    [destination, entry.segment, `segment removed from the destination (onRemove: ${keep ? 'keep' : 'remove'})`],
  );
  let enqueued = 0;
  if (keep) {
    await client.query(`delete from ${schema}.destination_members where destination = $1 and segment = $2`, [
      destination,
      entry.segment,
    ]);
  } else {
    const { rowCount } = await client.query(
      `insert into ${schema}.activation_outbox (destination, segment, subject_type, subject_id, change, idempotency_key, history_id)
       select $1, $2, d.subject_type, d.subject_id, 'exited', $1 || ':removed:' || $2 || ':' || d.subject_id || ':' || $3, null::bigint
       from ${schema}.destination_members d where d.destination = $1 and d.segment = $2
       on conflict (idempotency_key) do nothing`,
      [destination, entry.segment, String(Date.now())],
    );
    enqueued = rowCount ?? 0;
  }
  await client.query(
    `update ${schema}.destination_bindings set removed_at = now() where destination = $1 and segment = $2`,
    [destination, entry.segment],
  );
  return enqueued;
}
