/** What one render may spend. A template that goes past a limit is refused, not truncated. */
export interface TemplateLimits {
  /** Wall-clock time of one render, checked at every lookup, call, output and loop iteration. */
  renderMilliseconds: number;
  /** Loop iterations of one render, nested loops counted together. */
  loopIterations: number;
  /** Characters written by one render, and the longest string an operator or filter may build. */
  outputCharacters: number;
  /** Macro and function calls nested inside each other (recursion). */
  callDepth: number;
}

/**
 * Generous for a resource file or a webhook body (files are at most 2 MiB, bodies a batch of
 * changes), far below what would stall `roster validate` in CI or a delivery worker.
 */
export const DEFAULT_TEMPLATE_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  renderMilliseconds: 2_000,
  loopIterations: 100_000,
  outputCharacters: 4 * 1024 * 1024,
  callDepth: 64,
});
