import { Command, CommanderError } from 'commander';
import { SegmentEvaluationError } from '../segment/segment-evaluation-error';
import { type CliIo, EXIT, processIo } from './cli-io';
import { CommandError } from './command-error';
import type { CommandRegistrar } from './command-registrar';
import { registerAuthoringCommands } from './register-authoring-commands';
import { registerConfigCommands } from './register-config-commands';
import { registerDeployCommands } from './register-deploy-commands';
import { registerDestinationCommands } from './register-destination-commands';
import { registerProfileCommands } from './register-profile-commands';
import { registerRuntimeCommands } from './register-runtime-commands';
import { registerSegmentCommands } from './register-segment-commands';
import { registerSourceCommands } from './register-source-commands';
import { UsageError } from './usage-error';

const VERSION = '0.1.0';

/**
 * Runs the `roster` command line and resolves to the exit code. User mistakes become coded
 * messages (never stack traces): usage errors exit 2, failed operations 1.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof CommandError) {
      io.stderr(`${error.code} ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof SegmentEvaluationError) {
      io.stderr(`SEGMENT_FAILED ${error.message}\n`);
      return EXIT.failed;
    }
    if (isConnectionFailure(error)) {
      io.stderr(
        `RUNTIME_DATABASE the database connection failed (${(error as Error).message}); nothing was left half-written: check that PostgreSQL is running and run the command again\n`,
      );
      return EXIT.failed;
    }
    throw error;
  }
}

/** Connection-level failures (server restarted, unreachable): an operational condition, not a bug. */
function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    '57P01',
    '57P02',
    '57P03',
    '08000',
    '08001',
    '08003',
    '08004',
    '08006',
  ];
  return (
    (code !== undefined && codes.includes(code)) || /Connection terminated|terminating connection/i.test(message ?? '')
  );
}

/**
 * The `roster` command tree: one registrar per command group, called in the order `roster --help`
 * lists them. `setExit` receives the exit code of the command that ran; nothing is loaded until an
 * action runs (lazy-commands.ts). A new command goes into the registrar of its group.
 */
export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('roster')
    .description(
      'B2B audiences as code: validate, plan and apply sources, identity mappings, segments and destinations.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  const registrars: CommandRegistrar[] = [
    registerConfigCommands, // init, validate
    registerDeployCommands, // plan, apply, destroy, status
    registerAuthoringCommands, // catalog, test
    registerSourceCommands, // source run|errors
    registerSegmentCommands, // segment run|preview|explain|sizes|sql|members
    registerProfileCommands, // profile get
    registerDestinationCommands, // destination status|activate|pause|resume|retry|reconcile
    registerRuntimeCommands, // run, demo
  ];
  for (const register of registrars) register(program, { io, setExit });
  return program;
}
