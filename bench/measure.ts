import { spawnSync } from 'node:child_process';
import { main } from '../engine/cli/main';

/** One row of the benchmark table. */
export interface BenchResult {
  work: string;
  /** Roster's figure, in `unit`. */
  roster: number;
  /** The hand-written baseline's figure, when the work has one. */
  baseline?: number;
  /** `x`: a dimensionless factor (how a time grew with the data). */
  unit: 's' | 'rows/s' | 'members/s' | 'ms' | '%' | 'x';
  /** Target as a human would state it (`< 2 s`, `>= 0.5x`). */
  target: string;
  pass: boolean;
  notes?: string;
}

/** Wall-clock seconds of a command, median of `runs` runs; throws if the command fails. */
export function medianWallSeconds(
  command: string,
  args: string[],
  runs: number,
  options: { cwd: string; env?: NodeJS.ProcessEnv; expectExit?: number },
): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== (options.expectExit ?? 0)) {
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    }
    times.push(seconds);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** The result of `work` and its wall-clock seconds. */
export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await work();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

/**
 * Runs a `roster` command in this process against `databaseUrl`, output kept quiet; throws naming it
 * and with what it printed when it fails (a benchmark's setup error must say why).
 */
export async function rosterQuietly(args: string[], databaseUrl: string, cwd: string): Promise<void> {
  const output: string[] = [];
  const io = {
    stdout: (text: string) => {
      output.push(text);
    },
    stderr: (text: string) => {
      output.push(text);
    },
    env: { ...process.env, DATABASE_URL: databaseUrl },
    cwd,
    isTTY: false,
  };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`roster ${args.join(' ')} exited ${code}:\n${output.join('')}`);
}

/** The `p`-th percentile (0-100) of ascending `sorted` values, nearest rank. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
