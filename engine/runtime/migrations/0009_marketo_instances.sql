-- Marketo's limits (10 calls in flight, 100 calls per 20 s, the daily quota) belong to the instance,
-- which destinations, sources, processes and sandboxes may all share. They are counted outside the
-- sandbox schemas, in `roster_shared`, keyed by the instance's endpoint host (host:port). Every
-- sandbox runs this migration; the objects are created once, under a lock of their own, so two
-- sandboxes migrating at once do not race on them.
select pg_advisory_xact_lock(hashtext('roster.migrate'), hashtext('roster_shared'));
create schema if not exists roster_shared;

-- One row per instance: its daily quota count. (Admissions are serialised by an advisory lock per
-- instance, so counting a call never waits for an admission.)
create table if not exists roster_shared.marketo_instances (
  instance text primary key,
  -- The Marketo day (America/Chicago) the count is of, and the calls started in it.
  quota_day text,
  quota_calls integer not null default 0,
  -- Marketo answered 607 (daily quota reached) on this day: no more calls until it ends.
  exhausted_day text
);

-- Calls in flight and recently ended. A call counts as in flight until it ends or its lease
-- expires (a process that died mid-call), and against the rate window until the window has
-- passed after its end.
create table if not exists roster_shared.marketo_calls (
  id bigint generated always as identity primary key,
  instance text not null,
  started_at timestamptz not null,
  ended_at timestamptz,
  expires_at timestamptz not null
);
create index if not exists marketo_calls_recent on roster_shared.marketo_calls (instance, (coalesce(ended_at, expires_at)));
