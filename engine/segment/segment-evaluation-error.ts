/**
 * A segment whose evaluation failed: names it; the failed run is recorded in `segment_runs`. In a
 * file of its own so that `roster`'s error handling can recognise it without loading the evaluator
 * (start-up, decision 49).
 */
export class SegmentEvaluationError extends Error {
  override readonly name = 'SegmentEvaluationError';
}
