import type { Queryable } from '../runtime/queryable';

/** Pauses (or resumes) delivery to a destination; changes keep accumulating in the outbox meanwhile. */
export async function setDestinationPaused(
  db: Queryable,
  schema: string,
  destination: { name: string; paused: boolean; by: string },
): Promise<void> {
  await db.query(
    `insert into ${schema}.destination_state (destination, paused, paused_at, paused_by)
     values ($1, $2, case when $2 then now() end, case when $2 then $3 end)
     on conflict (destination) do update set paused = $2,
       paused_at = case when $2 then now() end, paused_by = case when $2 then $3 end`,
    [destination.name, destination.paused, destination.by],
  );
}

/**
 * Sends dead-lettered changes again: back to `pending` with fresh attempts and claims (a change
 * dead-lettered for killing its worker starts counting again), due now. Also lifts a wait the
 * destination asked for, since an operator retrying means "try now".
 */
export async function retryDeadChanges(db: Queryable, schema: string, destination: string): Promise<number> {
  // A dead change that a later change of the same subject superseded must not be sent after it
  // (an old entry after the exit that undid it): it is cancelled, not retried. One statement, so the
  // check and the requeue see the same changes.
  const { rows } = await db.query<{ n: number }>(
    `with dead as (
       select d.id, exists (
           select 1 from ${schema}.activation_outbox later
           where later.destination = d.destination and later.segment = d.segment and later.subject_id = d.subject_id
             and later.id > d.id and later.status <> 'cancelled') as superseded
       from ${schema}.activation_outbox d where d.destination = $1 and d.status = 'dead'),
     cancelled as (
       update ${schema}.activation_outbox o set status = 'cancelled', detail = 'superseded by a later change of the subject'
       from dead where o.id = dead.id and dead.superseded),
     queued as (
       update ${schema}.activation_outbox o set status = 'pending', attempts = 0, claims = 0, claimed_by = null, lease_expires_at = null,
         next_attempt_at = now()
       from dead where o.id = dead.id and not dead.superseded
       returning o.id)
     select count(*)::int as n from queued`,
    [destination],
  );
  await db.query(`update ${schema}.destination_state set resume_at = null where destination = $1`, [destination]);
  return rows[0]?.n ?? 0;
}

/** A scheduled destination's cron fired: the changes written so far may be delivered. */
export async function releaseScheduledChanges(db: Queryable, schema: string, destination: string): Promise<void> {
  await db.query(
    `insert into ${schema}.destination_state (destination, released_through)
     select $1, coalesce(max(id), 0) from ${schema}.activation_outbox where destination = $1
     on conflict (destination) do update set released_through = excluded.released_through`,
    [destination],
  );
}

/** Destinations with a change due now and not leased to a batch in flight (the poller of `roster run` drains these). */
export async function destinationsWithDueChanges(db: Queryable, schema: string): Promise<string[]> {
  const { rows } = await db.query<{ destination: string }>(
    `select distinct destination from ${schema}.activation_outbox
     where status = 'pending' and next_attempt_at <= now() and (lease_expires_at is null or lease_expires_at <= now())`,
  );
  return rows.map((r) => r.destination);
}

/** Whether the destination is paused, asked to wait, and (scheduled) up to which change it is released. */
export async function readControl(
  db: Queryable,
  schema: string,
  destination: string,
): Promise<{ paused: boolean; resumeAt: Date | null; releasedThrough: number | null }> {
  const { rows } = await db.query<{ paused: boolean; resumeAt: Date | null; releasedThrough: string | null }>(
    `select paused, resume_at as "resumeAt", released_through as "releasedThrough" from ${schema}.destination_state where destination = $1`,
    [destination],
  );
  const row = rows[0];
  return {
    paused: row?.paused ?? false,
    resumeAt: row?.resumeAt ?? null,
    releasedThrough: row?.releasedThrough == null ? null : Number(row.releasedThrough),
  };
}
