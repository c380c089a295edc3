import type { Queryable } from '../queryable';

/** The instance's calls counted today, or why the call was refused. */
export type QuotaCount = { counted: true; calls: number } | { counted: false; calls: number; exhausted: boolean };

/**
 * Counts one call against the instance's calls of `day` (Marketo's day, America/Chicago) in one
 * statement, so concurrent callers in any process never overspend. Refused when `quota` calls are
 * already counted today or Marketo answered 607 today; `quota` null counts without refusing (a
 * source: its calls spend the instance's quota, which Marketo itself enforces with 607).
 */
export async function countInstanceCall(
  db: Queryable,
  call: { instance: string; day: string; quota: number | null },
): Promise<QuotaCount> {
  const { rows } = await db.query<{ calls: number }>(
    `insert into roster_shared.marketo_instances as i (instance, quota_day, quota_calls) values ($1, $2, 1)
     on conflict (instance) do update
       set quota_day = $2, quota_calls = case when i.quota_day = $2 then i.quota_calls + 1 else 1 end
       where $3::int is null
          or (i.exhausted_day is distinct from $2 and (i.quota_day is distinct from $2 or i.quota_calls < $3::int))
     returning quota_calls as calls`,
    [call.instance, call.day, call.quota],
  );
  if (rows[0]) return { counted: true, calls: rows[0].calls };
  const today = await readInstanceCallsToday(db, call.instance, call.day);
  return { counted: false, calls: today.calls, exhausted: today.exhausted };
}

/** Records that Marketo answered 607 today: every caller of the instance stops until the day ends. */
export async function markInstanceExhausted(db: Queryable, instance: string, day: string): Promise<void> {
  await db.query(
    `insert into roster_shared.marketo_instances (instance, exhausted_day) values ($1, $2)
     on conflict (instance) do update set exhausted_day = $2`,
    [instance, day],
  );
}

/** The calls counted on `day` at the instance, and whether Marketo said its quota was reached. */
export async function readInstanceCallsToday(
  db: Queryable,
  instance: string,
  day: string,
): Promise<{ calls: number; exhausted: boolean }> {
  const { rows } = await db.query<{ calls: number; exhausted: boolean }>(
    `select case when quota_day = $2 then quota_calls else 0 end as calls, exhausted_day = $2 as exhausted
     from roster_shared.marketo_instances where instance = $1`,
    [instance, day],
  );
  return { calls: rows[0]?.calls ?? 0, exhausted: rows[0]?.exhausted ?? false };
}
