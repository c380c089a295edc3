import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

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
