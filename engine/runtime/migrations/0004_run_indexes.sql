-- Lookups by run and by a record's key within its source, on the paths every ingest run takes
-- (events of a run, persons of a run, an event's person by key, the counts of a segment run).
create index events_by_run on events (run_id);
create index person_records_by_run on person_records (run_id);
create index person_records_by_source_key on person_records (source_name, source_key);
create index segment_membership_history_by_run on segment_membership_history (run_id);
