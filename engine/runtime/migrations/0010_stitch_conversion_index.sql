-- Identity stitching follows conversions both ways: from a lead to its contact
-- (person_records_by_source_key) and from a contact to the leads converted into it (this one).
create index person_records_by_converted_to on person_records (source_name, converted_to_key)
  where converted_to_key is not null;
