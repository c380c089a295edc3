import { hasPendingStitch } from '../identity/has-pending-stitch';
import { runStitch } from '../identity/run-stitch';
import type { StitchResult } from '../identity/stitch-identities';
import type { IngestResult } from '../ingest/ingest-objects';
import type { Queryable } from '../runtime/queryable';
import type { SegmentRunResult } from '../segment/evaluate-segment';
import { evaluateStreamingForRun } from '../segment/evaluate-streaming';

export interface AfterIngest {
  stitched: StitchResult[];
  streamed: SegmentRunResult[];
  /** Streaming segments that failed (named, with the reason); the others were still evaluated. */
  failures: string[];
}

/**
 * What follows every committed ingest run that changed something, whoever ran it (`roster source
 * run`, a `source.ingest` job, an HTTP push): identity stitching (incremental), then the streaming
 * segments for the persons the run touched. A run that wrote nothing still stitches what an
 * interrupted run left unstitched, and streams nothing.
 */
export async function afterIngest(
  db: Queryable,
  sandbox: string,
  result: IngestResult,
  options: { stitch: boolean } = { stitch: true },
): Promise<AfterIngest> {
  if (result.status !== 'succeeded') return { stitched: [], streamed: [], failures: [] };
  const wrote = result.written + result.deleted > 0;
  // A run that wrote nothing still stitches what an earlier run committed and never stitched (it
  // died in between: kill -9, a lost connection); otherwise those records would wait for a change.
  const stitch = options.stitch && (wrote || (await hasPendingStitch(db, sandbox)));
  const stitched = stitch ? await runStitch(db, sandbox) : [];
  if (!wrote) return { stitched, streamed: [], failures: [] };
  const { results, failures } = await evaluateStreamingForRun(db, sandbox, result.runId);
  return { stitched, streamed: results, failures };
}
