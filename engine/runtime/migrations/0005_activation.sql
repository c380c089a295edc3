-- Activation: delivery state of the outbox, what each destination is known to hold, the bindings
-- (segment -> destination) as last synchronised, and per-destination control (pause, pacing).

-- `sending` marks a change claimed by the worker that holds the destination's lock; a worker that
-- dies leaves it `sending`, and the next holder of the lock puts it back to `pending`.
-- `unmatched`: the destination cannot apply it (no Marketo lead with that email); not retried.
-- `cancelled`: the segment was removed from the destination (onRemove: keep) before delivery.
alter table activation_outbox drop constraint activation_outbox_status_check;
update activation_outbox set status = 'pending' where status = 'failed';
alter table activation_outbox add constraint activation_outbox_status_check
  check (status in ('pending', 'sending', 'delivered', 'unmatched', 'dead', 'cancelled'));
-- Backfills and removals have no history row: the membership did not change, the destination did.
alter table activation_outbox alter column history_id drop not null;
alter table activation_outbox
  add column next_attempt_at timestamptz not null default now(),
  add column batch_id text,
  add column detail text;
drop index activation_outbox_pending;
create index activation_outbox_open on activation_outbox (destination, id) where status in ('pending', 'sending');
-- The claim delivers at most one change per subject per round, in order: it probes this index for
-- an earlier open change of the same subject.
create index activation_outbox_open_subject on activation_outbox (destination, segment, subject_id, id)
  where status in ('pending', 'sending');
-- No index on status alone: its statistics lag during a drain (thousands of rows flip to `sending`
-- between analyses), and a planner that believes "1 row is sending" scans it and nested-loops the
-- whole batch against it when recording deliveries (2.8 s instead of 69 ms per 1,000-change batch).

create table destination_state (
  destination text primary key,
  paused boolean not null default false,
  paused_at timestamptz,
  paused_by text,
  -- The destination said when to come back (Retry-After, Marketo's daily quota): nothing is sent before.
  resume_at timestamptz,
  -- Scheduled destinations deliver changes up to this outbox id (set when their cron fires).
  released_through bigint,
  last_success_at timestamptz,
  last_error text,
  last_error_at timestamptz,
  -- Last mirror check: when, and what differed.
  mirror_checked_at timestamptz,
  mirror_drift jsonb
);

-- The segments a destination activates as last synchronised by the worker: a new binding is
-- backfilled with the current members, a removed one is emptied or forgotten per its onRemove.
create table destination_bindings (
  destination text not null,
  segment text not null,
  binding jsonb not null,
  bound_at timestamptz not null default now(),
  removed_at timestamptz,
  primary key (destination, segment)
);

-- What each destination holds per segment, as far as delivered changes say: entered and not exited.
create table destination_members (
  destination text not null,
  segment text not null,
  subject_type text not null,
  subject_id bigint not null,
  delivered_at timestamptz not null,
  outbox_id bigint not null,
  primary key (destination, segment, subject_id)
);
