import { rmSync } from 'node:fs';
import { hostileTallyFile, readHostileTallies } from './hostile-tally';

/**
 * vitest global setup: after the last test, prints what the hostile tests tried and what held
 * (one line per case family, then the totals), so `npm run test:hostile` ends with its figures.
 */
export default function setup(): () => void {
  const file = hostileTallyFile();
  rmSync(file, { force: true });
  return () => {
    const tallies = readHostileTallies(file);
    rmSync(file, { force: true });
    if (tallies.length === 0) return;
    const sum = (pick: (t: (typeof tallies)[number]) => number | undefined) =>
      tallies.reduce((total, t) => total + (pick(t) ?? 0), 0);
    const lines = tallies.map(
      (t) =>
        `  ${t.suite}: ${t.tried} tried, ${t.held} held${t.lost !== undefined ? `, ${t.lost} lost` : ''}${t.duplicated !== undefined ? `, ${t.duplicated} duplicated` : ''}`,
    );
    const peak = Math.max(...tallies.map((t) => t.peakRssMiB));
    console.log(
      `\nHostile input and faults:\n${lines.join('\n')}\n` +
        `Hostile totals: ${sum((t) => t.tried)} cases tried, ${sum((t) => t.held)} held, ` +
        `${sum((t) => t.lost)} records lost, ${sum((t) => t.duplicated)} records duplicated, peak memory ${peak} MiB\n`,
    );
  };
}
