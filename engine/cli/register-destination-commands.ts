import { type Command, Option } from 'commander';
import { formatOption, sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import {
  runDestinationActivate,
  runDestinationPause,
  runDestinationReconcile,
  runDestinationRetry,
  runDestinationStatus,
} from './lazy-commands';

interface DestinationFlags {
  sandbox: string;
  format: 'text' | 'json';
}

/** `roster destination status|activate|pause|resume|retry|reconcile`: delivery and its control. */
export const registerDestinationCommands: CommandRegistrar = (program, { io, setExit }) => {
  const destination = program
    .command('destination')
    .description('Deliver segment changes to destinations and inspect delivery (pending, delivered, dead-lettered).');
  /** A subcommand with its own `options` first, then the ones every destination command takes. */
  const command = (name: string, description: string, options: Option[] = []): Command => {
    const subcommand = destination.command(name).description(description);
    for (const option of options) subcommand.addOption(option);
    return subcommand
      .argument(...destinationArgument(name))
      .addOption(sandboxOption())
      .addOption(formatOption(['text', 'json']))
      .exitOverride();
  };

  command(
    'status',
    'Delivery state per destination: pending, retrying, delivered, unmatched, dead-lettered and cancelled changes, members held, last success and last error.',
  ).action(async (name: string | undefined, options: DestinationFlags) => {
    setExit(await runDestinationStatus({ ...options, ...(name ? { name } : {}) }, io));
  });
  command(
    'activate',
    'Deliver the pending changes of a destination now (also a scheduled one), backfilling segments newly bound to it; exit 1 if some changes failed.',
  ).action(async (name: string, options: DestinationFlags) => {
    setExit(await runDestinationActivate({ ...options, name }, io));
  });
  command('pause', 'Stop delivering to a destination; changes accumulate in the outbox until it is resumed.').action(
    async (name: string, options: DestinationFlags) => {
      setExit(await runDestinationPause({ ...options, name, paused: true }, io));
    },
  );
  command('resume', 'Resume delivery to a paused destination; accumulated changes drain in order.').action(
    async (name: string, options: DestinationFlags) => {
      setExit(await runDestinationPause({ ...options, name, paused: false }, io));
    },
  );
  command('retry', 'Queue the dead-lettered changes of a destination again, with fresh attempts, due now.').action(
    async (name: string, options: DestinationFlags) => {
      setExit(await runDestinationRetry({ ...options, name }, io));
    },
  );
  command(
    'reconcile',
    "Read back what the destination holds (Marketo list members, the table) and compare it with each segment's members; --repair makes them equal. Exit 1 on drift without --repair.",
    [new Option('--repair', 'add the missing members and remove the unexpected ones')],
  ).action(async (name: string, options: DestinationFlags & { repair?: boolean }) => {
    setExit(await runDestinationReconcile({ ...options, name, repair: options.repair === true }, io));
  });
};

/** `status` reads every destination unless one is named; the others act on one. */
function destinationArgument(command: string): [string, string] {
  if (command === 'status') return ['[name]', 'name of an applied Destination (default: all)'];
  if (command === 'reconcile')
    return ['<name>', 'name of an applied Destination (marketo-static-list or postgres-table)'];
  return ['<name>', 'name of an applied Destination'];
}
