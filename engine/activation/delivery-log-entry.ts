import type { BatchEvent } from './delivery-run';
import type { DrainResult } from './drain-destination';

/**
 * The log line of one drain: `destination delivered` (error when changes went dead), or a warning
 * `destination skipped` with the reason (a missing secret) — nothing was delivered then.
 */
export function drainLogEntry(result: DrainResult, milliseconds: number): Record<string, unknown> {
  if (result.status === 'skipped') return { level: 'warn', msg: 'destination skipped', ...result, milliseconds };
  return { level: result.dead > 0 ? 'error' : 'info', msg: 'destination delivered', ...result, milliseconds };
}

/** The log line of one delivery batch: its destination, segment, counts, outcome and duration. */
export function batchLogEntry(event: BatchEvent): Record<string, unknown> {
  const level = event.outcome === 'dead' ? 'error' : event.outcome === 'retrying' ? 'warn' : 'info';
  return { level, msg: 'batch delivered', ...event };
}
