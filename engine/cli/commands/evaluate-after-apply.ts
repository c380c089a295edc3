import type { Plan } from '../../plan/plan';
import type { Queryable } from '../../runtime/queryable';
import { evaluateSegment } from '../../segment/evaluate-segment';
import { readAppliedSegments } from '../../segment/read-applied-segments';
import { SegmentEvaluationError } from '../../segment/segment-evaluation-error';
import { CommandError } from '../command-error';

/** A segment apply evaluated, as apply reports it. */
export interface EvaluatedSegment {
  segment: string;
  revision: number;
  size: number;
  entered: number;
  exited: number;
}

/**
 * Evaluates the segments `plan.afterApply` names (changed ones and their dependents), in dependency
 * order, so members change as the plan's data impact said, not at the next scheduled run.
 */
export async function evaluateAfterApply(pool: Queryable, plan: Plan): Promise<EvaluatedSegment[]> {
  const after = plan.afterApply;
  if (!after?.evaluate || after.segments.length === 0) return [];
  const wanted = new Set(after.segments);
  const segments = (await readAppliedSegments(pool, plan.sandbox)).filter((s) => wanted.has(s.name));
  const now = new Date();
  const evaluated: EvaluatedSegment[] = [];
  for (const segment of segments) {
    const result = await evaluateSegment(pool, plan.sandbox, segment, now).catch((error) => {
      if (!(error instanceof SegmentEvaluationError)) throw error;
      throw new CommandError(
        'APPLY_EVALUATE',
        `${error.message}; the resources were applied, evaluate it again with roster segment run ${segment.name}`,
        { cause: error },
      );
    });
    const { revision, size, entered, exited } = result;
    evaluated.push({ segment: segment.name, revision, size, entered, exited });
  }
  return evaluated;
}
