/** What a command may touch of the outside world; tests pass their own to capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard output is a terminal (colour and progress allowed). */
  isTTY: boolean;
  /** Asks a yes/no question on the terminal; absent when standard input is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY),
    ...(process.stdin.isTTY ? { confirm: askOnTerminal } : {}),
  };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Problems were found or the operation failed. */
  failed: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;
