import { Option } from 'commander';
import { filesSandboxOption, formatOption, lockTimeoutOption, sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runApply, runPlan, runStatus } from './lazy-commands';

type PlanFormat = 'text' | 'markdown' | 'json';

/** Resources `pulumi up` manages are never deleted by a plan of Roster's unless this is given. */
const allowDeletePulumiManagedOption = () =>
  new Option(
    '--allow-delete-pulumi-managed',
    'also delete resources that `pulumi up` manages and the files no longer hold (left alone by default)',
  );

/**
 * `roster plan`, `apply`, `destroy` and `status`: the configuration applied to a sandbox (what
 * would change, changing it under the apply lock, what is there now). Commands about saved plans
 * and promotion between sandboxes belong here too.
 */
export const registerDeployCommands: CommandRegistrar = (program, { io, setExit }) => {
  program
    .command('plan')
    .description(
      'Show what `roster apply` would change in the sandbox: creates, updates (with the spec diff), replaces (and why), deletes, and the data impact of segment changes. Writes nothing.',
    )
    .argument('[dir]', 'directory holding the resource files', '.')
    .addOption(filesSandboxOption())
    .addOption(formatOption(['text', 'markdown', 'json']))
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are changes, 1 on error')
    .option('--no-impact', 'skip the data impact of segment changes (read-only previews on current data)')
    .addOption(allowDeletePulumiManagedOption())
    .exitOverride()
    .action(
      async (
        dir: string,
        options: {
          sandbox: string;
          format: PlanFormat;
          detailedExitcode?: boolean;
          impact: boolean;
          allowDeletePulumiManaged?: boolean;
        },
      ) => {
        const { sandbox, format, impact } = options;
        const detailedExitcode = options.detailedExitcode === true;
        const allowDeletePulumiManaged = options.allowDeletePulumiManaged === true;
        setExit(await runPlan({ dir, sandbox, format, detailedExitcode, impact, allowDeletePulumiManaged }, io));
      },
    );

  program
    .command('apply')
    .description(
      'Plan, confirm, and apply the resource files to the sandbox through the providers, under a single-writer lock with a journal.',
    )
    .argument('[dir]', 'directory holding the resource files', '.')
    .addOption(filesSandboxOption())
    .option('-y, --yes', 'apply without asking for confirmation (required when not run in a terminal)')
    .addOption(lockTimeoutOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(allowDeletePulumiManagedOption())
    .exitOverride()
    .action(async (dir: string, options: ApplyFlags) => {
      setExit(await runApply({ dir, ...applyOptions(options) }, io));
    });

  program
    .command('destroy')
    .description(
      'Delete every resource applied to the sandbox, dependents first, under the same lock and journal as apply.',
    )
    .addOption(sandboxOption().makeOptionMandatory())
    .option('-y, --yes', 'destroy without asking for confirmation (required when not run in a terminal)')
    .addOption(lockTimeoutOption())
    .addOption(formatOption(['text', 'json']))
    .addOption(allowDeletePulumiManagedOption())
    .exitOverride()
    // Apply with no directory: nothing is declared, so everything applied is deleted.
    .action(async (options: ApplyFlags) => {
      setExit(await runApply(applyOptions(options), io));
    });

  program
    .command('status')
    .description(
      'Show the resources applied to the sandbox (revision, when, by whom), its lock holder and any interrupted apply.',
    )
    .addOption(sandboxOption())
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runStatus({ sandbox: options.sandbox, format: options.format }, io));
    });
};

interface ApplyFlags {
  sandbox: string;
  yes?: boolean;
  lockTimeout: number;
  format: 'text' | 'json';
  allowDeletePulumiManaged?: boolean;
}

function applyOptions(options: ApplyFlags) {
  return {
    sandbox: options.sandbox,
    yes: options.yes === true,
    lockTimeoutMs: options.lockTimeout,
    format: options.format,
    allowDeletePulumiManaged: options.allowDeletePulumiManaged === true,
  };
}
