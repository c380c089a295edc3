/** A segment whose evaluation failed: names it; the failed run is recorded in `segment_runs`. */
export class SegmentEvaluationError extends Error {
  override readonly name = 'SegmentEvaluationError';
}
