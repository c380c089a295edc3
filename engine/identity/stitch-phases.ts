/**
 * Seconds per stitching phase, written to stderr when `ROSTER_STITCH_TIMING=1` (the stitch
 * benchmark sets it to show where the time goes); otherwise a no-op.
 */
export interface StitchPhases {
  /** Ends the phase started at the previous mark (or at creation), named `phase`. */
  mark(phase: string): void;
}

export function stitchPhases(label: string): StitchPhases {
  if (process.env.ROSTER_STITCH_TIMING !== '1') return { mark: () => undefined };
  let last = process.hrtime.bigint();
  return {
    mark(phase) {
      const now = process.hrtime.bigint();
      process.stderr.write(`    ${label} ${phase}: ${(Number(now - last) / 1e9).toFixed(3)} s\n`);
      last = now;
    },
  };
}
