import { appendFileSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What one hostile test tried and what held, for the figures `npm run test:hostile` ends with. */
export interface HostileTally {
  /** Short name of the case family, e.g. `template injection corpus`. */
  suite: string;
  /** Hostile inputs or faults tried. */
  tried: number;
  /** Of those, how many were handled as promised (refused with a located error, quarantined, survived). */
  held: number;
  /** Acknowledged or good records that did not arrive. */
  lost?: number;
  /** Records stored or delivered more than once. */
  duplicated?: number;
}

/**
 * The file the test processes append to; vitest.config.mts names it once per run (workers inherit
 * the variable), and `hostile-summary.ts` prints it after the last test.
 */
export function hostileTallyFile(env: NodeJS.ProcessEnv = process.env): string {
  return env.ROSTER_HOSTILE_TALLY ?? path.join(os.tmpdir(), `roster-hostile-${process.pid}.jsonl`);
}

/** Records a tally, with this process's peak memory so far. */
export function recordHostile(tally: HostileTally): void {
  const peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  appendFileSync(hostileTallyFile(), `${JSON.stringify({ ...tally, peakRssMiB })}\n`);
}

/** The tallies recorded in this run (none when no hostile test ran). */
export function readHostileTallies(file = hostileTallyFile()): (HostileTally & { peakRssMiB: number })[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // no hostile test ran in this run
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}
