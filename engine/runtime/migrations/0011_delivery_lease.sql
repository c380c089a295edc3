-- A claimed change is leased, not row-locked (decision 58): the claim commits before the request
-- goes out, so no transaction is open while a destination answers. `claimed_by` names the batch
-- that holds it (a token per claim), `lease_expires_at` is when another worker may claim it again
-- (a worker that died stops renewing it), and `claims` counts the claims that did not end in a
-- release; claims minus attempts is how many times a worker died holding the change, and a change
-- that took its worker down too many times is dead-lettered instead of claimed again.
--
-- None of these columns is indexed and the claim leaves `status` as it is, so a claim can be a HOT
-- update; the open-change indexes still cover every pending change, claimed or not, which keeps
-- the order of a subject's changes (a later change waits while an earlier one is in flight).
-- Adding nullable columns and a constant default rewrites nothing.
alter table activation_outbox
  add column claimed_by text,
  add column lease_expires_at timestamptz,
  add column claims integer not null default 0;
