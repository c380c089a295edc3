-- The registry: applied resources of this sandbox (current row per Kind/name) and their
-- append-only revision history. Written by the providers, read by plans and jobs.

create table resources (
  kind text not null check (kind in ('Source', 'IdentityMapping', 'Segment', 'Destination')),
  name text not null check (name ~ '^[a-z][a-z0-9-]{0,62}$'),
  revision integer not null check (revision > 0),
  spec_hash text not null,
  -- The inputs as applied: apiVersion, metadata, spec (secrets only as secret:// references).
  document jsonb not null,
  source_file text,
  managed_by text not null check (managed_by in ('pulumi', 'roster')),
  applied_at timestamptz not null,
  applied_by text not null,
  git_commit text,
  primary key (kind, name)
);

create table resource_revisions (
  kind text not null,
  name text not null,
  revision integer not null check (revision > 0),
  operation text not null check (operation in ('create', 'update', 'replace', 'delete')),
  spec_hash text,
  document jsonb,
  source_file text,
  managed_by text not null check (managed_by in ('pulumi', 'roster')),
  applied_at timestamptz not null,
  applied_by text not null,
  git_commit text,
  apply_id uuid,
  primary key (kind, name, revision),
  check ((operation = 'delete') = (document is null))
);

-- Every local apply, and each operation it intends, written before the first change, so that an
-- apply killed midway is visible to the next plan and completed by the next apply.
create table apply_runs (
  apply_id uuid primary key,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null default 'running' check (status in ('running', 'completed', 'failed', 'interrupted', 'recovered')),
  applied_by text not null,
  host text not null,
  pid integer not null,
  config_dir text,
  git_commit text,
  error text
);

create table apply_journal (
  apply_id uuid not null references apply_runs (apply_id) on delete cascade,
  seq integer not null,
  kind text not null,
  name text not null,
  operation text not null check (operation in ('create', 'update', 'replace', 'delete')),
  spec_hash text,
  status text not null default 'pending' check (status in ('pending', 'done', 'failed')),
  completed_at timestamptz,
  error text,
  primary key (apply_id, seq)
);

create index apply_journal_pending on apply_journal (apply_id) where status = 'pending';

-- Who holds the single-writer lock (the lock itself is a session advisory lock, released by
-- PostgreSQL when its holder's connection ends, so a killed apply never leaves it behind).
create table apply_lock_holder (
  singleton boolean primary key default true check (singleton),
  holder text not null,
  apply_id uuid,
  since timestamptz not null default now()
);
