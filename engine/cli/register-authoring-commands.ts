import { filesSandboxOption, formatOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import { runCatalog, runTest } from './lazy-commands';

/** `roster catalog` and `roster test`: what a segment can use, and audience tests of the files. */
export const registerAuthoringCommands: CommandRegistrar = (program, { io, setExit }) => {
  program
    .command('catalog')
    .description(
      "List the attributes segments and destinations can use, per entity: built-in and the sources' custom fields, with type, operators and the source fields that fill them. Reads files only.",
    )
    .argument('[dir]', 'directory of resource files', '.')
    .addOption(filesSandboxOption())
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (dir: string, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runCatalog({ dir, sandbox: options.sandbox, format: options.format }, io));
    });

  program
    .command('test')
    .description(
      'Run the audience tests (kind: AudienceTest, e.g. tests/*.yaml) under DIR, each in a throwaway sandbox: the project applied, the fixtures loaded through its sources, identities stitched, every segment evaluated, members compared. Exit 0 when all pass, 1 when one fails, 2 on a config or test file error.',
    )
    .argument('[dir]', 'directory holding the resource and test files', '.')
    .addOption(formatOption(['text', 'json', 'junit']))
    .option('--output <file>', 'write the report to FILE instead of standard output')
    .option('--filter <name>', 'run only the tests whose name contains NAME')
    .exitOverride()
    .action(async (dir: string, options: { format: 'text' | 'json' | 'junit'; output?: string; filter?: string }) => {
      setExit(await runTest({ dir, ...options }, io));
    });
};
