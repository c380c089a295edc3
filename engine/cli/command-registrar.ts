import type { Command } from 'commander';
import type { CliIo } from './cli-io';

/** What a command's action needs from `main`: where to print, and where to leave its exit code. */
export interface CommandContext {
  io: CliIo;
  /** Records the exit code of the command that ran; `main` resolves to it. */
  setExit: (code: number) => void;
}

/**
 * Adds one group of commands to the program (`register-*-commands.ts`). Registrars only declare
 * arguments, options and actions; each action calls a command function through `lazy-commands.ts`,
 * so registering loads nothing heavy. `main.ts` calls them in the order `roster --help` lists them.
 */
export type CommandRegistrar = (program: Command, context: CommandContext) => void;
