import type { Pool } from 'pg';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { ConnectorEnvironment } from './connector';
import { batchLogEntry, drainLogEntry } from './delivery-log-entry';
import { destinationsWithDueChanges } from './destination-control';
import { type DrainResult, drainDestination } from './drain-destination';
import { listenForOutbox } from './outbox-listener';
import { readActivationConfig } from './read-applied-destinations';

export interface DeliveryServiceOptions {
  url: string;
  pool: Pool;
  sandbox: string;
  environment: ConnectorEnvironment;
  /** How often due retries and missed wake-ups are looked for; default 2 000 ms. */
  pollIntervalMs?: number;
  /** How long `stop` lets batches in flight finish before cancelling them; default 10 000 ms. */
  stopGraceMs?: number;
}

export interface DeliveryService {
  /** Drains `destination` soon (again after the current drain, if one is running in this process). */
  kick(destination: string): void;
  /** Stops waking up; waits for drains in flight (their batches finish and are recorded). */
  stop(): Promise<void>;
}

/**
 * The delivery side of `roster run`: drains destinations as soon as segment evaluation commits
 * changes (LISTEN on `roster_outbox_<sandbox>`, which evaluation NOTIFYs in its transaction), and polls for
 * retries that became due. Unscheduled destinations only: a destination with a `schedule` is
 * drained by its `destination.activate` job when the cron fires. Several processes may run it on
 * one database: the destination lock makes one of them deliver and the others skip.
 */
export async function startDeliveryService(options: DeliveryServiceOptions): Promise<DeliveryService> {
  const schema = sandboxSchema(options.sandbox);
  const running = new Map<string, { again: boolean; done: Promise<void> }>();
  const abort = new AbortController();
  const finishing = new AbortController();
  const log = options.environment.log;
  let stopped = false;
  /** The applied revision of each destination last handed to a drain that synchronised its bindings. */
  const seenRevision = new Map<string, number>();
  /** The reason each destination was last skipped for, so the warning is not repeated every poll. */
  const skipWarned = new Map<string, string>();

  const drainLoop = async (destination: string) => {
    for (let entry = running.get(destination); entry && !stopped; entry = running.get(destination)) {
      entry.again = false;
      const started = Date.now();
      const result = await drainDestination({
        pool: options.pool,
        sandbox: options.sandbox,
        destination,
        environment: options.environment,
        signal: abort.signal,
        finish: finishing.signal,
        onBatch: (event) => log(batchLogEntry(event)),
      }).catch((error: unknown) => {
        log({
          level: 'error',
          msg: 'delivery failed',
          destination,
          error: error instanceof Error ? error.message : String(error),
        });
        return undefined;
      });
      // A drain that did not get to its bindings (paused, another worker) leaves the revision
      // unseen, so a segment bound meanwhile is backfilled once the destination can be drained.
      if (!result || result.status === 'paused' || result.status === 'busy') seenRevision.delete(destination);
      if (result && (result.batches > 0 || result.backfilled > 0 || result.status === 'skipped'))
        log(quietRepeatedSkip(drainLogEntry(result, Date.now() - started), result, skipWarned));
      if (!entry.again) break;
    }
    running.delete(destination);
  };
  const kick = (destination: string) => {
    const entry = running.get(destination);
    if (entry) {
      entry.again = true;
      return;
    }
    const fresh = { again: false, done: Promise.resolve() };
    running.set(destination, fresh);
    fresh.done = drainLoop(destination);
  };
  const wakeAll = async () => {
    const config = await readActivationConfig(options.pool, options.sandbox);
    const due = new Set(await destinationsWithDueChanges(options.pool, schema));
    for (const d of config.destinations) {
      if (d.spec.schedule) continue;
      // A destination drains when it has due changes, and once per applied revision (so a segment
      // newly bound to it is backfilled even if nothing changes in the segment).
      const revised = seenRevision.get(d.name) !== d.revision;
      seenRevision.set(d.name, d.revision);
      if (due.has(d.name) || revised) kick(d.name);
    }
  };

  // A failed wake-up is caught up by the poll below.
  const wake = () => void wakeAll().catch(() => undefined);
  const listener = await listenForOutbox({
    url: options.url,
    sandbox: options.sandbox,
    schema,
    log,
    onNotify: wake,
    onReconnected: wake,
  });
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    await wakeAll().catch((error: unknown) =>
      log({
        level: 'error',
        msg: 'delivery poll failed',
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    if (!stopped) timer = setTimeout(poll, options.pollIntervalMs ?? 2000);
  };
  await poll();
  return {
    kick,
    stop: async () => {
      stopped = true;
      finishing.abort(); // no new batch from now on
      if (timer) clearTimeout(timer);
      await listener.close();
      // Batches in flight get a grace period to land and be recorded; after it their requests are
      // cancelled and the changes go back to pending (another process, or the next start, sends them).
      const grace = setTimeout(() => abort.abort(), options.stopGraceMs ?? 10_000);
      await Promise.all([...running.values()].map((e) => e.done));
      clearTimeout(grace);
    },
  };
}

/**
 * A destination skipped for a missing secret is tried again at every poll (its changes are due):
 * the first skip for a reason is a warning, the repeats are debug lines, until it is delivered.
 */
function quietRepeatedSkip(
  entry: Record<string, unknown>,
  result: DrainResult,
  skipWarned: Map<string, string>,
): Record<string, unknown> {
  if (result.status !== 'skipped') {
    skipWarned.delete(result.destination);
    return entry;
  }
  const repeated = skipWarned.get(result.destination) === result.reason;
  skipWarned.set(result.destination, result.reason ?? '');
  return repeated ? { ...entry, level: 'debug' } : entry;
}
