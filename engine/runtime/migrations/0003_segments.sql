-- Segment membership: the current members of each segment, an append-only history of entries and
-- exits (with the segment revision and the run that caused them), and the activation outbox
-- written in the same transaction, so every membership change reaches destinations exactly once.

create table segment_runs (
  run_id bigserial primary key,
  segment text not null,
  revision integer not null,
  mode text not null check (mode in ('batch', 'streaming')),
  evaluated_at timestamptz not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  size bigint,
  entered bigint,
  exited bigint,
  error text
);

create table segment_memberships (
  segment text not null,
  subject_type text not null check (subject_type in ('person', 'account')),
  subject_id bigint not null,
  entered_at timestamptz not null,
  revision integer not null,
  run_id bigint not null,
  primary key (segment, subject_id)
);

create table segment_membership_history (
  id bigserial primary key,
  segment text not null,
  subject_type text not null,
  subject_id bigint not null,
  change text not null check (change in ('entered', 'exited')),
  changed_at timestamptz not null,
  revision integer not null,
  run_id bigint not null
);
create index segment_membership_history_by_segment on segment_membership_history (segment, changed_at);

create table activation_outbox (
  id bigserial primary key,
  destination text not null,
  segment text not null,
  subject_type text not null,
  subject_id bigint not null,
  change text not null check (change in ('entered', 'exited')),
  -- One per (destination, membership change): a retried run can never enqueue a change twice.
  idempotency_key text not null unique,
  history_id bigint not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'dead')),
  attempts integer not null default 0,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz
);
create index activation_outbox_pending on activation_outbox (destination, id) where status = 'pending';
