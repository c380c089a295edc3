import * as path from 'node:path';
import { packageRoot } from '../util/package-root';
import { sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runDemo, runRun } from './lazy-commands';
import { parseCount } from './parse-duration';

/** `roster run` (the service: workers and HTTP server) and `roster demo` (the quick start). */
export const registerRuntimeCommands: CommandRegistrar = (program, { io, setExit }) => {
  program
    .command('run')
    .description(
      'Run the service: job workers (schedules, ingestion, stitching) and the HTTP server (POST /v1/sources/<name>/batches, /healthz, /readyz, /metrics). JSON logs on stdout at ROSTER_LOG_LEVEL (default info); stops cleanly on SIGTERM.',
    )
    .addOption(sandboxOption())
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', parseCount('--port'), 8080)
    .option('--no-workers', 'serve HTTP only, run no jobs')
    .exitOverride()
    .action(async (options: { sandbox: string; host: string; port: number; workers: boolean }) => {
      const { sandbox, host, port, workers } = options;
      setExit(await runRun({ sandbox, host, port, workers }, io));
    });

  program
    .command('demo')
    .description(
      'The quick-start job (`npm start`): runs the example project examples/acme end to end and prints what to explore next.',
    )
    .exitOverride()
    .action(async () => {
      setExit(await runDemo({ exampleDir: path.join(packageRoot(), 'examples', 'acme') }, io));
    });
};
