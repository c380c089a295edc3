import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { waitFor } from './wait-for';

export const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'roster.js');

export interface RosterResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `roster` executable to completion, as a user's shell would. */
export function roster(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): RosterResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    // A JSON plan of a thousand resources passes Node's 1 MiB default, which would cut it short.
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `roster` asynchronously (for concurrency and crash tests). */
export function rosterAsync(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { child, ...collectOutput(child) };
}

/** Gathers a child's stdout and stderr: `done` when it has closed, `output()` so far. */
export function collectOutput(child: ChildProcessWithoutNullStreams): {
  done: Promise<RosterResult>;
  output: () => { stdout: string; stderr: string };
} {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<RosterResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done, output: () => ({ stdout, stderr }) };
}

/** A `roster run` process started by `startRosterRun`, with the base URL it logged. */
export interface RunningRoster {
  service: ReturnType<typeof rosterAsync>;
  url: string;
  /** The start log line (level, sandbox, workers...). */
  started: Record<string, unknown>;
}

/**
 * Starts `roster run --sandbox SANDBOX --port 0` (plus `extraArgs`) and resolves once it logged
 * `roster run started`, however slow the machine is today (`ms`, default 120 s).
 */
export async function startRosterRun(
  sandbox: string,
  env: NodeJS.ProcessEnv,
  options: { cwd?: string; extraArgs?: string[]; ms?: number } = {},
): Promise<RunningRoster> {
  const service = rosterAsync(
    ['run', '--sandbox', sandbox, '--port', '0', ...(options.extraArgs ?? [])],
    env,
    options.cwd,
  );
  const started = await waitFor(
    () =>
      service
        .output()
        .stdout.split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.msg === 'roster run started'),
    'roster run to start',
    options.ms ?? 120_000,
  );
  return { service, url: String(started.url), started };
}
