import * as os from 'node:os';
import { checkMirror, MirrorBusyError, MirrorUnsupportedError } from '../../activation/check-mirror';
import type { ConnectorEnvironment } from '../../activation/connector';
import { retryDeadChanges, setDestinationPaused } from '../../activation/destination-control';
import { type DestinationStatus, readDestinationStatus } from '../../activation/destination-status';
import { type DrainResult, drainDestination } from '../../activation/drain-destination';
import {
  type ActivationConfig,
  type AppliedDestination,
  readActivationConfig,
} from '../../activation/read-applied-destinations';
import { MissingSecretError } from '../../config/resolve-secret';
import type { Database } from '../../runtime/database';
import { sandboxSchema } from '../../runtime/sandbox-schema';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { openSandbox } from './open-sandbox';

interface DestinationOptions {
  sandbox: string;
  name: string;
  format: 'text' | 'json';
}

/** Opens the sandbox and finds the applied destination, or fails naming the ones that are applied. */
async function withDestination<T>(
  options: { sandbox: string; name: string },
  io: CliIo,
  work: (db: Database, destination: AppliedDestination, config: ActivationConfig) => Promise<T>,
): Promise<T> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const config = await readActivationConfig(db.pool, options.sandbox);
    const destination = config.destinations.find((d) => d.name === options.name);
    if (!destination)
      throw new CommandError(
        'DESTINATION_NOT_FOUND',
        `Destination/${options.name} is not applied to sandbox ${options.sandbox} (applied: ${config.destinations.map((d) => d.name).join(', ') || 'none'}); apply it first`,
      );
    return await work(db, destination, config);
  } finally {
    await db.close();
  }
}

export function connectorEnvironment(io: CliIo): ConnectorEnvironment {
  return { env: io.env, cwd: io.cwd, log: () => {} };
}

/** `roster destination status [NAME]`: what is pending, delivered, failed and dead-lettered, and the last error. */
export async function runDestinationStatus(
  options: { sandbox: string; name?: string; format: 'text' | 'json' },
  io: CliIo,
): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const config = await readActivationConfig(db.pool, options.sandbox);
    const chosen = options.name ? config.destinations.filter((d) => d.name === options.name) : config.destinations;
    if (options.name && chosen.length === 0)
      throw new CommandError(
        'DESTINATION_NOT_FOUND',
        `Destination/${options.name} is not applied to sandbox ${options.sandbox} (applied: ${config.destinations.map((d) => d.name).join(', ') || 'none'}); apply it first`,
      );
    const statuses: DestinationStatus[] = [];
    for (const d of chosen)
      statuses.push(
        await readDestinationStatus(db.pool, sandboxSchema(options.sandbox), { name: d.name, type: d.spec.type }),
      );
    if (options.format === 'json')
      io.stdout(`${JSON.stringify({ sandbox: options.sandbox, destinations: statuses }, null, 2)}\n`);
    else
      io.stdout(statuses.map(renderStatus).join('\n') || `No destination is applied to sandbox ${options.sandbox}.\n`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

function renderStatus(s: DestinationStatus): string {
  const lines = [
    `Destination/${s.destination} (${s.type})${s.paused ? ' PAUSED' : ''}`,
    `  pending ${s.pending} (retrying ${s.retrying}), delivered ${s.delivered}, unmatched ${s.unmatched}, dead-lettered ${s.dead}, cancelled ${s.cancelled}`,
    `  last success: ${s.lastSuccessAt ?? 'never'}`,
  ];
  if (s.lastError) lines.push(`  last error (${s.lastErrorAt}): ${s.lastError}`);
  if (s.resumeAt && new Date(s.resumeAt) > new Date())
    lines.push(`  waiting until ${s.resumeAt} (asked by the destination)`);
  if (s.nextAttemptAt && s.pending > 0) lines.push(`  next attempt: ${s.nextAttemptAt}`);
  const members = Object.entries(s.members);
  if (members.length > 0) lines.push(`  members held: ${members.map(([seg, n]) => `${seg} ${n}`).join(', ')}`);
  for (const p of s.problems) lines.push(`  ${p.status} ${p.change} ${p.segment} subject ${p.subjectId}: ${p.reason}`);
  if (s.dead > 0) lines.push(`  send dead-lettered changes again: roster destination retry ${s.destination}`);
  return `${lines.join('\n')}\n`;
}

/** `roster destination activate NAME`: delivers every pending change now (backfilling new bindings), with progress. */
export async function runDestinationActivate(options: DestinationOptions, io: CliIo): Promise<number> {
  return withDestination(options, io, async (db, destination, config) => {
    const result = await drainDestination({
      pool: db.pool,
      sandbox: options.sandbox,
      destination: destination.name,
      environment: connectorEnvironment(io),
      releaseAll: true,
      config,
      onBatch: (e) =>
        io.stderr(
          `${e.outcome} ${e.segment}: ${e.changes} changes${e.unmatched ? ` (${e.unmatched} unmatched)` : ''} in ${e.milliseconds} ms${e.error ? `: ${e.error}` : ''}\n`,
        ),
    });
    if (options.format === 'json') io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else io.stdout(renderDrain(result));
    return result.status === 'drained' && result.dead === 0 && result.retrying === 0 ? EXIT.ok : EXIT.failed;
  });
}

export function renderDrain(r: DrainResult): string {
  const counts = `${r.delivered} delivered, ${r.unmatched} unmatched, ${r.retrying} to retry, ${r.dead} dead-lettered in ${r.batches} batches`;
  const extra = r.backfilled || r.removed ? ` (backfill ${r.backfilled}, removals ${r.removed})` : '';
  return `Destination/${r.destination}: ${r.status}${r.reason ? ` (${r.reason})` : ''}: ${counts}${extra}\n`;
}

/** `roster destination pause|resume NAME [--format json]`. */
export async function runDestinationPause(
  options: DestinationOptions & { paused: boolean },
  io: CliIo,
): Promise<number> {
  return withDestination(options, io, async (db, destination) => {
    const by = `${os.userInfo().username}@${os.hostname()}`;
    await setDestinationPaused(db.pool, sandboxSchema(options.sandbox), {
      name: destination.name,
      paused: options.paused,
      by,
    });
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ destination: destination.name, paused: options.paused, by })}\n`);
      return EXIT.ok;
    }
    io.stdout(
      options.paused
        ? `Destination/${destination.name} paused: changes accumulate until roster destination resume ${destination.name}\n`
        : `Destination/${destination.name} resumed: pending changes are delivered by roster run (or now: roster destination activate ${destination.name})\n`,
    );
    return EXIT.ok;
  });
}

/** `roster destination retry NAME`: dead-lettered changes back to pending, due now. */
export async function runDestinationRetry(options: DestinationOptions, io: CliIo): Promise<number> {
  return withDestination(options, io, async (db, destination) => {
    const n = await retryDeadChanges(db.pool, sandboxSchema(options.sandbox), destination.name);
    if (options.format === 'json') io.stdout(`${JSON.stringify({ destination: destination.name, requeued: n })}\n`);
    else io.stdout(`Destination/${destination.name}: ${n} dead-lettered changes queued again\n`);
    return EXIT.ok;
  });
}

/** `roster destination reconcile NAME [--repair]`: compares the destination's actual contents with the membership. */
export async function runDestinationReconcile(
  options: DestinationOptions & { repair: boolean },
  io: CliIo,
): Promise<number> {
  return withDestination(options, io, async (db, destination, config) => {
    try {
      const drifts = await checkMirror(
        db.pool,
        { sandbox: options.sandbox, destination, config, repair: options.repair },
        connectorEnvironment(io),
      );
      if (options.format === 'json')
        io.stdout(`${JSON.stringify({ destination: destination.name, drifts }, null, 2)}\n`);
      for (const d of options.format === 'text' ? drifts : [])
        io.stdout(
          `${d.segment}: ${d.expected} members, ${d.missing} missing at the destination, ${d.unexpected} unexpected${d.repaired ? ' (repaired)' : ''}\n`,
        );
      const drifted = drifts.some((d) => d.missing + d.unexpected > 0);
      return drifted && !options.repair ? EXIT.failed : EXIT.ok;
    } catch (error) {
      if (
        error instanceof MirrorUnsupportedError ||
        error instanceof MirrorBusyError ||
        error instanceof MissingSecretError
      )
        throw new CommandError('DESTINATION_MIRROR', `Destination/${destination.name}: ${error.message}`);
      throw error;
    }
  });
}
