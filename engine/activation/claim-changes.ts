import type { Queryable } from '../runtime/queryable';

/** An outbox change claimed for delivery: leased to the claim's `owner` until the lease expires. */
export interface ClaimedChange {
  outboxId: number;
  segment: string;
  subjectType: 'person' | 'account';
  subjectId: number;
  change: 'entered' | 'exited';
  idempotencyKey: string;
  changedAt: string;
  /** Attempts including this one. */
  attempts: number;
  /** Earlier claims of the change that ended with no outcome: its worker died holding it. */
  lostClaims: number;
}

/** What one claim took: the changes to send, and those dead-lettered instead (they kept killing their worker). */
export interface Claim {
  changes: ClaimedChange[];
  deadLettered: number;
}

export interface ClaimOptions {
  destination: string;
  limit: number;
  /** A scheduled destination delivers the changes up to this outbox id only. */
  throughId: number | null;
  /** Names this claim: only its holder may record the outcome, renew or release it. */
  owner: string;
  leaseMs: number;
  /** Claims with no outcome after which a change is dead-lettered instead of claimed again. */
  maxLostClaims: number;
}

/**
 * Claims up to `limit` due changes of a destination, oldest first, at most one per subject: marks
 * them leased to `owner` (`claimed_by`, `lease_expires_at`) and counts the claim. Run in a short
 * transaction of its own that commits before anything is sent: a claimed change stays `pending`,
 * invisible to other claims until its lease expires, which is how a worker that died gives its
 * batch back. Rows are still taken `for update skip locked`, so two claims never take one change.
 *
 * A change that was claimed `maxLostClaims` times without an outcome is not claimed again: it is
 * dead-lettered with the reason (decision 62), since sending it took its worker down every time.
 *
 * A change waits while an earlier change of the same subject is still pending, in a batch in
 * flight (leased) or retrying, so a destination never sees an exit before the entry it undoes.
 *
 * The earlier-change check is a scalar subquery on purpose: written as NOT EXISTS, PostgreSQL turns
 * it into an anti-join over every open change of the destination (quadratic over a drain, and far
 * worse before the outbox is analysed); as a per-row probe of `activation_outbox_open_subject`, the
 * scan walks `activation_outbox_open` in id order and stops after `limit` rows.
 */
export async function claimChanges(db: Queryable, schema: string, options: ClaimOptions): Promise<Claim> {
  const { rows } = await db.query<ClaimRow>(
    `with candidate as (
       select o.id, o.claims - o.attempts >= $6 as poisoned
       from ${schema}.activation_outbox o
       where o.destination = $1 and o.status = 'pending' and o.next_attempt_at <= now()
         and (o.lease_expires_at is null or o.lease_expires_at <= now())
         and ($3::bigint is null or o.id <= $3::bigint)
         and (select e.id from ${schema}.activation_outbox e
              where e.destination = o.destination and e.segment = o.segment and e.subject_id = o.subject_id
                and e.id < o.id and e.status = 'pending'
              limit 1) is null
       order by o.id limit $2
       for update of o skip locked)
     update ${schema}.activation_outbox o
     set status = case when c.poisoned then 'dead' else 'pending' end,
         last_error = case when c.poisoned then format($7, o.claims - o.attempts) else o.last_error end,
         claims = case when c.poisoned then o.claims else o.claims + 1 end,
         claimed_by = case when c.poisoned then null else $4 end,
         lease_expires_at = case when c.poisoned then null else clock_timestamp() + $5 * interval '1 millisecond' end
     from candidate c where o.id = c.id
     returning o.id as "outboxId", o.segment, o.subject_type as "subjectType", o.subject_id as "subjectId",
       o.change, o.idempotency_key as "idempotencyKey", o.attempts + 1 as attempts, o.created_at as "createdAt",
       o.claims - 1 - o.attempts as "lostClaims", c.poisoned`,
    [
      options.destination,
      options.limit,
      options.throughId,
      options.owner,
      options.leaseMs,
      options.maxLostClaims,
      POISONED_REASON,
    ],
  );
  const changes = rows.filter((row) => !row.poisoned).map(toClaimedChange);
  return { changes: changes.sort((a, b) => a.outboxId - b.outboxId), deadLettered: rows.length - changes.length };
}

/** `%s`: how many claims ended with no outcome. */
const POISONED_REASON =
  'claimed %s times and never recorded: the worker sending it stopped each time (the process died or lost ' +
  'its database connection); dead-lettered so that it is not sent again. Fix the cause, then run ' +
  '`roster destination retry`';

interface ClaimRow {
  outboxId: string;
  segment: string;
  subjectType: 'person' | 'account';
  subjectId: string;
  change: 'entered' | 'exited';
  idempotencyKey: string;
  attempts: number;
  createdAt: Date;
  lostClaims: number;
  poisoned: boolean;
}

function toClaimedChange(row: ClaimRow): ClaimedChange {
  return {
    outboxId: Number(row.outboxId),
    segment: row.segment,
    subjectType: row.subjectType,
    subjectId: Number(row.subjectId),
    change: row.change,
    idempotencyKey: row.idempotencyKey,
    changedAt: row.createdAt.toISOString(),
    attempts: row.attempts,
    lostClaims: row.lostClaims,
  };
}
