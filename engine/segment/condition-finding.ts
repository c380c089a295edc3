import type { ProblemCode } from '../config/problem';

/** A finding of the condition checker, relative to the resource. */
export interface ConditionFinding {
  code: ProblemCode;
  pointer: string;
  message: string;
}
