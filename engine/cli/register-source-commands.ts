import { formatOption, sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runSourceErrors, runSourceRun } from './lazy-commands';
import { parseCount } from './parse-duration';

/** `roster source run|errors`: ingest an applied source now, and read its quarantine. */
export const registerSourceCommands: CommandRegistrar = (program, { io, setExit }) => {
  const source = program.command('source').description('Run sources and inspect what they loaded.');
  source
    .command('run')
    .description(
      'Ingest a source now: incremental from its watermark (unless --full), idempotent by source key, then stitch identities. Exit 1 if the run fails.',
    )
    .argument('<name>', 'name of an applied Source')
    .addOption(sandboxOption())
    .option('--full', 'ignore the stored watermark and read everything again (unchanged records still write nothing)')
    .option('--no-stitch', 'skip identity stitching after the run')
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(
      async (name: string, options: { sandbox: string; full?: boolean; stitch: boolean; format: 'text' | 'json' }) => {
        const { sandbox, stitch, format } = options;
        setExit(await runSourceRun({ source: name, sandbox, full: options.full === true, stitch, format }, io));
      },
    );

  source
    .command('errors')
    .description(
      "Show the quarantined records of a source's latest run (or of --run N): where each is, which field, and why.",
    )
    .argument('<name>', 'name of an applied Source')
    .addOption(sandboxOption())
    .option('--run <id>', 'a specific run', parseCount('--run', 1))
    .option('--limit <n>', 'most records to show', parseCount('--limit', 1), 50)
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(
      async (name: string, options: { sandbox: string; run?: number; limit: number; format: 'text' | 'json' }) => {
        const { sandbox, limit, format, run } = options;
        setExit(await runSourceErrors({ source: name, sandbox, limit, format, ...(run ? { run } : {}) }, io));
      },
    );
};
