-- The size of a segment after a run is the size after its previous successful run plus entries
-- minus exits (every membership write is a run, serialised by the segment's lock), so a rerun of a
-- broad segment need not count its members again: this index finds the previous run at once.
create index segment_runs_latest on segment_runs (segment, run_id desc) where status = 'succeeded';
