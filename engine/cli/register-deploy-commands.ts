import { type Command, Option } from 'commander';
import { filesSandboxOption, formatOption, lockTimeoutOption, sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runApply, runPlan, runPromote, runShow, runStatus } from './lazy-commands';
import { parseSandbox, UsageError } from './usage-error';

type PlanFormat = 'text' | 'markdown' | 'json';

/** Resources `pulumi up` manages are never deleted by a plan of Roster's unless this is given. */
const allowDeletePulumiManagedOption = () =>
  new Option(
    '--allow-delete-pulumi-managed',
    'also delete resources that `pulumi up` manages and the files no longer hold (left alone by default)',
  );

/**
 * `roster plan`, `apply`, `promote`, `show`, `destroy` and `status`: the configuration applied to a
 * sandbox (what would change, changing it under the apply lock, promoting it from another sandbox,
 * a saved plan, what is there now).
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
    .option(
      '--out <file>',
      'also save the plan to FILE; `roster apply FILE` applies exactly it, or refuses if things moved',
    )
    .option('--no-evaluate', 'plan an apply that does not evaluate the changed segments (see apply --no-evaluate)')
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
          out?: string;
          evaluate: boolean;
          allowDeletePulumiManaged?: boolean;
        },
      ) => {
        const { sandbox, format, impact, evaluate } = options;
        const detailedExitcode = options.detailedExitcode === true;
        const allowDeletePulumiManaged = options.allowDeletePulumiManaged === true;
        const out = options.out ? { out: options.out } : {};
        setExit(
          await runPlan(
            { dir, sandbox, format, detailedExitcode, impact, evaluate, allowDeletePulumiManaged, ...out },
            io,
          ),
        );
      },
    );

  program
    .command('apply')
    .description(
      'Plan, confirm, and apply the resource files to the sandbox through the providers, under a single-writer lock with a journal, then evaluate the changed segments and their dependents. Given a saved plan (roster plan --out FILE), apply exactly it to its sandbox, or refuse if the files or the runtime changed since.',
    )
    .argument('[dir-or-plan]', 'directory holding the resource files, or a saved plan file', '.')
    .addOption(filesSandboxOption())
    .option('-y, --yes', 'apply without asking for confirmation (required when not run in a terminal)')
    .addOption(lockTimeoutOption())
    .addOption(formatOption(['text', 'json']))
    .option('--no-evaluate', 'do not evaluate the changed segments after applying (members change at their next run)')
    .addOption(allowDeletePulumiManagedOption())
    .exitOverride()
    .action(async (dir: string, options: ApplyFlags & { evaluate: boolean }, command: Command) => {
      const sandboxGiven = command.getOptionValueSource('sandbox') === 'cli';
      setExit(await runApply({ dir, ...applyOptions(options), sandboxGiven, evaluate: options.evaluate }, io));
    });

  program
    .command('promote')
    .description(
      'Show what promoting the files from one sandbox to the next would change there, and refuse (exit 1, naming the resources) unless every change was applied and evaluated in the first one; --apply applies it.',
    )
    .argument('[dir]', 'directory holding the resource files', '.')
    .requiredOption('--from <sandbox>', 'sandbox the changes were applied and evaluated in', parseSandbox)
    .requiredOption('--to <sandbox>', 'sandbox to promote to', parseSandbox)
    .option('--apply', 'apply the promotion once the check passes (without asking: the check is the gate)')
    .option('--no-impact', 'skip the data impact in the target sandbox')
    .option('--no-evaluate', 'do not evaluate the changed segments in the target after applying')
    .addOption(lockTimeoutOption())
    .addOption(formatOption(['text', 'markdown', 'json']))
    .exitOverride()
    .action(async (dir: string, o: PromoteFlags) => {
      if (o.from === o.to)
        throw new UsageError('--from and --to name the same sandbox; promote from one sandbox to another');
      const { lockTimeout: lockTimeoutMs, apply, ...rest } = o;
      setExit(await runPromote({ dir, ...rest, apply: apply === true, lockTimeoutMs }, io));
    });

  program
    .command('show')
    .description(
      'Render a saved plan (roster plan --out FILE) as roster plan renders plans: text, markdown for a pull request, or json. Reads no database.',
    )
    .argument('<plan>', 'the saved plan file')
    .addOption(formatOption(['text', 'markdown', 'json']))
    .exitOverride()
    .action(async (file: string, options: { format: PlanFormat }) => {
      setExit(await runShow({ file, format: options.format }, io));
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

interface PromoteFlags {
  from: string;
  to: string;
  apply?: boolean;
  impact: boolean;
  evaluate: boolean;
  lockTimeout: number;
  format: PlanFormat;
}

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
