import type { CliIo } from '../../engine/cli/cli-io';

/** A `CliIo` that records what a command printed, for assertions and golden files. */
export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
}

export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd, isTTY: false };
}
