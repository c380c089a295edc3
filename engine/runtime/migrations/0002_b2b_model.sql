-- The B2B data model, after the XDM B2B classes. Source records ("fragments") keep their composite
-- source key (source type, source name, object, key); identity stitching merges person and account
-- records into unified profiles (persons, accounts) that segments read. Custom fields live in a
-- typed `attrs` jsonb (types are enforced by the ingest mapper, from the attribute catalog).

-- Where the config directory was when a resource was applied, so jobs can resolve paths in it
-- (a file source's baseDir is relative to its resource file).
alter table resources add column config_root text;
alter table resource_revisions add column config_root text;

-- Ingestion bookkeeping ----------------------------------------------------------------------

create table ingest_runs (
  run_id bigserial primary key,
  source text not null,
  trigger text not null check (trigger in ('manual', 'schedule', 'push', 'job')),
  status text not null default 'running' check (status in ('running', 'succeeded', 'failed')),
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  records_read bigint not null default 0,
  records_written bigint not null default 0,
  records_unchanged bigint not null default 0,
  records_quarantined bigint not null default 0,
  error text
);

create table source_watermarks (
  source text not null,
  object text not null,
  watermark text not null,
  run_id bigint not null references ingest_runs (run_id),
  updated_at timestamptz not null default now(),
  primary key (source, object)
);

create table quarantine (
  id bigserial primary key,
  run_id bigint not null references ingest_runs (run_id) on delete cascade,
  source text not null,
  object text not null,
  origin text not null,
  line integer,
  byte_offset bigint,
  record_index bigint,
  field text,
  reason text not null,
  raw text,
  quarantined_at timestamptz not null default now()
);
create index quarantine_by_source on quarantine (source, id desc);

-- Source records (fragments) -----------------------------------------------------------------

create table account_records (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  name text, domain text, industry text, type text, annual_revenue numeric, number_of_employees numeric,
  city text, state text, country text, account_source text, created_at timestamptz, updated_at timestamptz,
  parent_key text,
  attrs jsonb not null default '{}',
  content_hash text not null,
  account_id bigint,
  -- Set when the record is new or changed; identity stitching clears it.
  needs_stitch boolean not null default true,
  run_id bigint not null,
  ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index account_records_needs_stitch on account_records (id) where needs_stitch;
create index account_records_profile on account_records (account_id);

create table person_records (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  email text, email_domain text, first_name text, last_name text, job_title text, department text, phone text,
  city text, state text, country text, person_type text, lead_status text, lead_source text,
  is_converted boolean, converted_at timestamptz, email_opt_out boolean, ecid text, marketo_lead_id text,
  created_at timestamptz, updated_at timestamptz,
  account_key text, converted_to_key text,
  attrs jsonb not null default '{}',
  content_hash text not null,
  person_id bigint,
  needs_stitch boolean not null default true,
  run_id bigint not null,
  ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index person_records_needs_stitch on person_records (id) where needs_stitch;
create index person_records_profile on person_records (person_id);

-- Profiles that lost a record (deleted in the source): stitching re-examines them.
create table stitch_dirty (
  entity text not null check (entity in ('person', 'account')),
  profile_id bigint not null,
  primary key (entity, profile_id)
);

-- Identity values carried by records, after normalisation and blocklisting.
create table record_identities (
  entity text not null check (entity in ('person', 'account')),
  record_id bigint not null,
  namespace text not null,
  value text not null,
  primary key (entity, record_id, namespace, value)
);
create index record_identities_by_value on record_identities (entity, namespace, value);

-- Unified profiles ----------------------------------------------------------------------------

create table persons (
  id bigserial primary key,
  -- The smallest "source/object/key" of its records: stable while the profile's records are.
  canonical_key text not null unique,
  email text, email_domain text, first_name text, last_name text, job_title text, department text, phone text,
  city text, state text, country text, person_type text, lead_status text, lead_source text,
  is_converted boolean, converted_at timestamptz, email_opt_out boolean, ecid text, marketo_lead_id text,
  created_at timestamptz, updated_at timestamptz,
  account_id bigint,
  attrs jsonb not null default '{}',
  stitched_at timestamptz not null default now()
);
create index persons_lower_email on persons (lower(email));
create index persons_account on persons (account_id);

create table accounts (
  id bigserial primary key,
  canonical_key text not null unique,
  name text, domain text, industry text, type text, annual_revenue numeric, number_of_employees numeric,
  city text, state text, country text, account_source text, created_at timestamptz, updated_at timestamptz,
  parent_account_id bigint,
  attrs jsonb not null default '{}',
  stitched_at timestamptz not null default now()
);
create index accounts_lower_domain on accounts (lower(domain));

-- Merges refused to protect profiles (two values of a unique namespace, the identity cap).
create table identity_conflicts (
  id bigserial primary key,
  entity text not null,
  namespace text not null,
  value text not null,
  reason text not null,
  record_keys text[] not null,
  detected_at timestamptz not null default now(),
  unique (entity, namespace, value, reason)
);

-- Relations and activity (not stitched: each comes from one system of record) ----------------

create table opportunities (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  name text, stage text, amount numeric, probability numeric, is_closed boolean, is_won boolean, close_date date,
  type text, lead_source text, forecast_category text, created_at timestamptz,
  account_key text, account_id bigint,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index opportunities_account on opportunities (account_id);

create table opportunity_roles (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  role text, is_primary boolean,
  opportunity_key text, person_key text, opportunity_id bigint, person_id bigint,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index opportunity_roles_person on opportunity_roles (person_id);
create index opportunity_roles_opportunity on opportunity_roles (opportunity_id);

create table account_person_relations (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  role text, is_primary boolean, is_active boolean, start_date date, end_date date,
  account_key text, person_key text, account_id bigint, person_id bigint,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index account_person_relations_person on account_person_relations (person_id);
create index account_person_relations_account on account_person_relations (account_id);

create table campaigns (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  name text, type text, status text, start_date date, end_date date,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);

create table campaign_members (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  status text, has_responded boolean,
  campaign_key text, person_key text, campaign_id bigint, person_id bigint,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index campaign_members_person on campaign_members (person_id);

create table marketing_lists (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  name text,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);

create table marketing_list_members (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  added_at timestamptz,
  list_key text, person_key text, list_id bigint, person_id bigint,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index marketing_list_members_person on marketing_list_members (person_id);

create table events (
  id bigserial primary key,
  source_type text not null, source_name text not null, source_object text not null, source_key text not null,
  type text not null, occurred_at timestamptz not null, url text, campaign text,
  person_key text, person_id bigint,
  -- Events that name their person by an identity (web events: email, ECID) rather than a key.
  identity_namespace text, identity_value text,
  attrs jsonb not null default '{}',
  content_hash text not null, run_id bigint not null, ingested_at timestamptz not null default now(),
  unique (source_name, source_object, source_key)
);
create index events_person_type_time on events (person_id, type, occurred_at);
create index events_unresolved on events (identity_namespace, identity_value) where person_id is null;
