import type { Pool } from 'pg';
import type { Plan } from '../../plan/plan';
import { evaluateSegmentCycle } from '../../segment/evaluate-segment-cycle';
import { readAppliedSegments } from '../../segment/read-applied-segments';
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
export async function evaluateAfterApply(pool: Pool, plan: Plan): Promise<EvaluatedSegment[]> {
  const after = plan.afterApply;
  if (!after?.evaluate || after.segments.length === 0) return [];
  const wanted = new Set(after.segments);
  const segments = (await readAppliedSegments(pool, plan.sandbox)).filter((s) => wanted.has(s.name));
  const now = new Date();
  const evaluated: EvaluatedSegment[] = [];
  let failure: CommandError | undefined;
  await evaluateSegmentCycle(pool, plan.sandbox, segments, now, {
    onResult: ({ segment, revision, size, entered, exited }) =>
      evaluated.push({ segment, revision, size, entered, exited }),
    onFailure: (error, segment) => {
      failure = new CommandError(
        'APPLY_EVALUATE',
        `${error.message}; the resources were applied, evaluate it again with roster segment run ${segment.name}`,
        { cause: error },
      );
      return 'stop';
    },
  });
  if (failure) throw failure;
  return evaluated;
}
