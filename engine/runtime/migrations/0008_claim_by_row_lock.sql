-- A claimed change is no longer marked `sending`: it is a row lock held by the transaction of the
-- batch that delivers it (decision 27), so a worker that dies releases its claim by dying. Rows an
-- earlier worker left `sending` go back to pending, and the open-change indexes cover `pending`
-- alone.
update activation_outbox set status = 'pending' where status = 'sending';
alter table activation_outbox drop constraint activation_outbox_status_check;
alter table activation_outbox add constraint activation_outbox_status_check
  check (status in ('pending', 'delivered', 'unmatched', 'dead', 'cancelled'));
drop index activation_outbox_open;
create index activation_outbox_open on activation_outbox (destination, id) where status = 'pending';
drop index activation_outbox_open_subject;
create index activation_outbox_open_subject on activation_outbox (destination, segment, subject_id, id)
  where status = 'pending';
