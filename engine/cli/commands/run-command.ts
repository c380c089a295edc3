import type { AddressInfo } from 'node:net';
import { startDeliveryService } from '../../activation/delivery-service';
import { startJobs } from '../../jobs/start-jobs';
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
 * destinations as they are written) and the HTTP server (streaming ingest, the read API, health). Logs are JSON lines
 * on standard output. SIGTERM/SIGINT stop accepting requests, let in-flight jobs finish (or release
 * them after 30 s), and exit 0. Several processes can share one database.
 */
export async function runRun(options: RunOptions, io: CliIo, signals: NodeJS.EventEmitter = process): Promise<number> {
  const log = (entry: Record<string, unknown>) =>
    io.stdout(`${JSON.stringify({ time: new Date().toISOString(), sandbox: options.sandbox, ...entry })}\n`);
  const db = await openSandbox(options.sandbox, io);
  const jobs = options.workers
    ? await startJobs({ url: db.url, pool: db.pool, sandbox: options.sandbox, env: io.env, cwd: io.cwd, log })
    : undefined;
  const delivery = options.workers
    ? await startDeliveryService({
        url: db.url,
        pool: db.pool,
        sandbox: options.sandbox,
        environment: { env: io.env, cwd: io.cwd, log },
      })
    : undefined;
  const server = createRosterServer({ pool: db.pool, sandbox: options.sandbox, env: io.env, log });
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
