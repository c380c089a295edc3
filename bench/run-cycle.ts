import type { Pool } from 'pg';
import { evaluateSegmentCycle } from '../engine/segment/evaluate-segment-cycle';
import type { AppliedSegment } from '../engine/segment/read-applied-segments';
import { timed } from './measure';

/** One cycle: every segment evaluated once, in dependency order, as `roster segment run --all` does (`evaluateSegmentCycle`). */
export interface CycleRun {
  seconds: number;
  /** Seconds of each segment's `evaluateSegment`, by segment name. */
  perSegment: Map<string, number>;
  memberships: number;
  entered: number;
  exited: number;
  /** The cycle's one count of the batch segments' event conditions (decision 74), before the runs. */
  sharedEvents: { conditions: number; columns: number; seconds: number };
}

export async function runCycle(pool: Pool, sandbox: string, segments: readonly AppliedSegment[], now: Date) {
  const run: CycleRun = {
    seconds: 0,
    perSegment: new Map(),
    memberships: 0,
    entered: 0,
    exited: 0,
    sharedEvents: { conditions: 0, columns: 0, seconds: 0 },
  };
  const [cycle, seconds] = await timed(() =>
    evaluateSegmentCycle(pool, sandbox, segments, now, {
      onResult: (result) => {
        run.perSegment.set(result.segment, result.milliseconds / 1000);
        run.memberships += result.size;
        run.entered += result.entered;
        run.exited += result.exited;
      },
      onFailure: (error) => {
        throw error;
      },
    }),
  );
  if (cycle.sharingError) throw new Error(`the cycle's shared event count failed: ${cycle.sharingError}`);
  run.seconds = seconds;
  run.sharedEvents = {
    conditions: cycle.sharedConditions,
    columns: cycle.sharedColumns,
    seconds: cycle.sharingMilliseconds / 1000,
  };
  return run;
}

/** Median, 90th percentile and largest of a cycle's per-segment times, in milliseconds. */
export function perSegmentSummary(run: CycleRun): string {
  const ms = [...run.perSegment.values()].map((s) => s * 1000).sort((a, b) => a - b);
  const at = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]!.toFixed(1);
  return `per segment: median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms`;
}

/** Seconds spent per segment shape (the name's index modulo `shapes`), largest first. */
export function secondsByShape(run: CycleRun, describe: (shape: number) => string, shapes: number): string {
  const totals = new Array<number>(shapes).fill(0);
  for (const [name, seconds] of run.perSegment) totals[Number(name.slice(-4)) % shapes]! += seconds;
  return totals
    .map((seconds, shape) => ({ seconds, shape }))
    .sort((a, b) => b.seconds - a.seconds)
    .map(({ seconds, shape }) => `${describe(shape)} ${seconds.toFixed(1)} s`)
    .join(', ');
}
