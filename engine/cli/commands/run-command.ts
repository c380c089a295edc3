import type { AddressInfo } from 'node:net';
import { startDeliveryService } from '../../activation/delivery-service';
import { startJobs } from '../../jobs/start-jobs';
import { createLogger, type LogFn } from '../../observe/create-logger';
import { LOG_LEVELS, tryGetLogLevel } from '../../observe/log-level';
import { createRosterMetrics } from '../../observe/roster-metrics';
import { createRosterServer } from '../../server/roster-server';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { openSandbox } from './open-sandbox';

export interface RunOptions {
  sandbox: string;
  host: string;
  port: number;
  workers: boolean;
}

/**
 * `roster run`: the long-running service: job workers (schedules from the applied resources,
 * source ingestion, stitching, scheduled deliveries), the delivery service (changes to
 * destinations as they are written) and the HTTP server (streaming ingest, the read API, health,
 * metrics). Logs are JSON lines on standard output at `ROSTER_LOG_LEVEL` (default info).
 * SIGTERM/SIGINT stop accepting requests, let in-flight jobs finish (or release them after 30 s),
 * and exit 0. Several processes can share one database.
 */
export async function runRun(options: RunOptions, io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const write = serviceLogger(options.sandbox, io);
  const db = await openSandbox(options.sandbox, io);
  const metrics = createRosterMetrics({ pool: db.pool, sandbox: options.sandbox });
  const log: LogFn = (entry) => {
    metrics.observe(entry);
    write(entry);
  };
  const jobs = options.workers
    ? await startJobs({ pool: db.pool, sandbox: options.sandbox, env: io.env, cwd: io.cwd, log })
    : undefined;
  const delivery = options.workers
    ? await startDeliveryService({
        url: db.url,
        pool: db.pool,
        sandbox: options.sandbox,
        environment: { env: io.env, cwd: io.cwd, log },
      })
    : undefined;
  const server = createRosterServer({ pool: db.pool, sandbox: options.sandbox, env: io.env, log, metrics });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${error.message})`;
      reject(
        new CommandError(
          'RUNTIME_LISTEN',
          `${options.host}:${options.port} ${reason}; pick another --port (0 takes any free one) or --host`,
        ),
      );
    });
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log({
    level: 'info',
    msg: 'roster run started',
    url: `http://${options.host}:${port}`,
    workers: options.workers,
    database: db.description,
    pid: process.pid,
  });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log({ level: 'info', msg: 'stopping', signal });
      resolve();
    };
    signals.once('SIGTERM', () => stop('SIGTERM'));
    signals.once('SIGINT', () => stop('SIGINT'));
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await delivery?.stop();
  await jobs?.stop();
  await db.close();
  log({ level: 'info', msg: 'roster run stopped' });
  return EXIT.ok;
}

/** The service's logger, at the level `ROSTER_LOG_LEVEL` names (a level it does not know is refused). */
function serviceLogger(sandbox: string, io: CliIo): LogFn {
  const level = tryGetLogLevel(io.env);
  if (!level)
    throw new CommandError(
      'RUNTIME_LOG_LEVEL',
      `ROSTER_LOG_LEVEL=${io.env.ROSTER_LOG_LEVEL}: not a log level; use one of ${LOG_LEVELS.join(', ')}`,
    );
  return createLogger({ level, base: { sandbox }, write: (line) => io.stdout(line) });
}
