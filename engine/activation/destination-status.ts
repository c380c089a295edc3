import type { Queryable } from '../runtime/queryable';

/** Delivery state of one destination, as `roster destination status` shows it. */
export interface DestinationStatus {
  destination: string;
  type: string;
  paused: boolean;
  /** Waiting to be sent (first attempt, or a retry not yet due). */
  pending: number;
  /** Pending after at least one failed attempt. */
  retrying: number;
  delivered: number;
  unmatched: number;
  dead: number;
  cancelled: number;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  resumeAt: string | null;
  nextAttemptAt: string | null;
  /** Members the destination holds per segment, by delivered changes. */
  members: Record<string, number>;
  /** The latest dead-lettered and unmatched changes, with why. */
  problems: { segment: string; subjectId: number; change: string; status: string; reason: string }[];
  mirror: { checkedAt: string; drift: unknown } | null;
}

export async function readDestinationStatus(
  db: Queryable,
  schema: string,
  destination: { name: string; type: string },
): Promise<DestinationStatus> {
  const counts = await db.query<{ status: string; retrying: boolean; n: number; next: Date | null }>(
    `select status, attempts > 0 as retrying, count(*)::int as n, min(next_attempt_at) as next
     from ${schema}.activation_outbox where destination = $1 group by 1, 2`,
    [destination.name],
  );
  const state = await db.query<Record<string, unknown>>(
    `select paused, last_success_at, last_error, last_error_at, resume_at, mirror_checked_at, mirror_drift
     from ${schema}.destination_state where destination = $1`,
    [destination.name],
  );
  const members = await db.query<{ segment: string; n: number }>(
    `select segment, count(*)::int as n from ${schema}.destination_members where destination = $1 group by 1 order by 1`,
    [destination.name],
  );
  const problems = await db.query<{
    segment: string;
    subjectId: string;
    change: string;
    status: string;
    reason: string;
  }>(
    `select segment, subject_id as "subjectId", change, status, coalesce(detail, last_error, '') as reason
     from ${schema}.activation_outbox where destination = $1 and status in ('dead', 'unmatched')
     order by id desc limit 10`,
    [destination.name],
  );
  const sum = (status: string, retrying?: boolean) =>
    counts.rows
      .filter((r) => r.status === status && (retrying === undefined || r.retrying === retrying))
      .reduce((total, r) => total + r.n, 0);
  const next = counts.rows.filter((r) => r.status === 'pending' && r.next).map((r) => r.next!.getTime());
  const row = state.rows[0] ?? {};
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : null);
  return {
    destination: destination.name,
    type: destination.type,
    paused: row.paused === true,
    pending: sum('pending'),
    retrying: sum('pending', true),
    delivered: sum('delivered'),
    unmatched: sum('unmatched'),
    dead: sum('dead'),
    cancelled: sum('cancelled'),
    lastSuccessAt: iso(row.last_success_at),
    lastError: (row.last_error as string | null | undefined) ?? null,
    lastErrorAt: iso(row.last_error_at),
    resumeAt: iso(row.resume_at),
    nextAttemptAt: next.length > 0 ? new Date(Math.min(...next)).toISOString() : null,
    members: Object.fromEntries(members.rows.map((r) => [r.segment, r.n])),
    problems: problems.rows.map((p) => ({ ...p, subjectId: Number(p.subjectId) })),
    mirror: row.mirror_checked_at ? { checkedAt: iso(row.mirror_checked_at)!, drift: row.mirror_drift } : null,
  };
}
