-- Calls a destination spent on its vendor's daily quota (Marketo), per vendor day: read when a
-- worker builds the destination's connector and written back when it is done, under the
-- destination's delivery lock, so every drain, process and mirror check spends from one budget.
alter table destination_state
  add column quota_day text,
  add column quota_calls integer not null default 0;
