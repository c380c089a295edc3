import { Option } from 'commander';
import { filesSandboxOption, formatOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runInit, runValidate } from './lazy-commands';

/** `roster init` and `roster validate`: writing and checking resource files, no database. */
export const registerConfigCommands: CommandRegistrar = (program, { io, setExit }) => {
  program
    .command('init')
    .description(
      'Write a new audience repository in DIR: roster.yaml, one commented example of each kind over a small CSV, .gitignore, package.json and a README. Never overwrites.',
    )
    .argument('[dir]', 'directory to create the project in (created when missing)', '.')
    .option('--name <name>', "project name (default: the directory's name)")
    .addOption(
      new Option(
        '--ci <platform>',
        'also write a CI pipeline (validate, test, plan comment on merge requests; apply the saved plan on merge; promotion behind approval); in an existing project, only the pipeline',
      ).choices(['github', 'gitlab']),
    )
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (dir: string, options: { name?: string; ci?: 'github' | 'gitlab'; format: 'text' | 'json' }) => {
      const named = options.name ? { name: options.name } : {};
      setExit(await runInit({ dir, format: options.format, ...named, ...(options.ci ? { ci: options.ci } : {}) }, io));
    });

  program
    .command('validate')
    .description(
      'Check every resource file under DIR: syntax, schemas, references, attributes and operators, streaming eligibility, destination safety. Exit 0 when valid, 1 when not.',
    )
    .argument('[dir]', 'directory holding the resource files', '.')
    .addOption(filesSandboxOption())
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (dir: string, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runValidate({ dir, sandbox: options.sandbox, format: options.format }, io));
    });
};
