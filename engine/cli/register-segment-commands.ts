import { filesSandboxOption, formatOption, sandboxOption } from './command-options';
import type { CommandRegistrar } from './command-registrar';
import {
  runSegmentExplain,
  runSegmentMembers,
  runSegmentPreview,
  runSegmentRun,
  runSegmentSizes,
  runSegmentSql,
} from './lazy-commands';
import { parseAsOf } from './parse-as-of';
import { parseCount } from './parse-duration';
import { UsageError } from './usage-error';

type TextOrJson = 'text' | 'json';

/** `roster segment run|preview|explain|sizes|sql|members`: evaluate segments and read their members. */
export const registerSegmentCommands: CommandRegistrar = (program, { io, setExit }) => {
  const segment = program.command('segment').description('Evaluate segments and inspect their members.');
  segment
    .command('run')
    .description(
      'Evaluate a segment now (batch): members computed by one statement, entries and exits written to history and the activation outbox in one transaction.',
    )
    .argument('[name]', 'name of an applied Segment')
    .option('--all', 'every applied segment, each after the segments it references')
    .addOption(sandboxOption())
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (name: string | undefined, options: { sandbox: string; all?: boolean; format: TextOrJson }) => {
      if (!name && !options.all) throw new UsageError('name a segment, or pass --all');
      const { sandbox, format } = options;
      setExit(await runSegmentRun({ sandbox, all: options.all === true, format, ...(name ? { name } : {}) }, io));
    });

  segment
    .command('preview')
    .description(
      'What a segment would contain on current data (size, entering, exiting, a sample, evaluation mode and why): a resource FILE not yet applied, or an applied segment NAME. Writes nothing.',
    )
    .argument('<file-or-name>', 'a Segment resource file, or the name of an applied Segment')
    .addOption(filesSandboxOption())
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (target: string, options: { sandbox: string; format: TextOrJson }) => {
      setExit(await runSegmentPreview({ sandbox: options.sandbox, target, format: options.format }, io));
    });

  segment
    .command('explain')
    .description(
      'Why a person (or account) is or is not a member: each branch of the condition for that subject, with the rows (account, opportunities, events...) that satisfied it.',
    )
    .argument('<name>', 'name of an applied Segment')
    .addOption(sandboxOption())
    .option('--person <id>', 'a person id (see roster profile get)', parseCount('--person', 1))
    .option('--account <id>', 'an account id, for account audiences', parseCount('--account', 1))
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(
      async (name: string, options: { sandbox: string; person?: number; account?: number; format: TextOrJson }) => {
        if ((options.person === undefined) === (options.account === undefined))
          throw new UsageError('give --person ID (or --account ID for an account audience)');
        const subject = options.person !== undefined ? 'person' : 'account';
        const subjectId = (options.person ?? options.account)!;
        setExit(
          await runSegmentExplain({ sandbox: options.sandbox, name, subject, subjectId, format: options.format }, io),
        );
      },
    );

  segment
    .command('sizes')
    .description("The segment's size over time: after each run, with its entries and exits, newest first.")
    .argument('<name>', 'name of a Segment')
    .addOption(sandboxOption())
    .option('--limit <n>', 'most runs to show', parseCount('--limit', 1), 50)
    .addOption(formatOption(['text', 'json']))
    .exitOverride()
    .action(async (name: string, options: { sandbox: string; limit: number; format: TextOrJson }) => {
      setExit(
        await runSegmentSizes({ sandbox: options.sandbox, name, limit: options.limit, format: options.format }, io),
      );
    });

  segment
    .command('sql')
    .description('Print the SQL statement (and its bind parameters) a batch run of the segment executes, for review.')
    .argument('<name>', 'name of an applied Segment')
    .addOption(sandboxOption())
    .exitOverride()
    .action(async (name: string, options: { sandbox: string }) => {
      setExit(await runSegmentSql({ sandbox: options.sandbox, name }, io));
    });

  segment
    .command('members')
    .description(
      'List the members of a segment, paged; --as-of rebuilds the membership at a past time from the history.',
    )
    .argument('<name>', 'name of an applied Segment')
    .addOption(sandboxOption())
    .option('--limit <n>', 'members per page', parseCount('--limit', 1), 100)
    .option('--offset <n>', 'members to skip', parseCount('--offset'), 0)
    .option('--as-of <time>', 'ISO 8601 time', parseAsOf)
    .addOption(formatOption(['text', 'csv', 'json']))
    .exitOverride()
    .action(async (name: string, options: MembersFlags) => {
      const { sandbox, limit, offset, format, asOf } = options;
      setExit(await runSegmentMembers({ sandbox, name, limit, offset, format, ...(asOf ? { asOf } : {}) }, io));
    });
};

interface MembersFlags {
  sandbox: string;
  limit: number;
  offset: number;
  asOf?: Date;
  format: 'text' | 'csv' | 'json';
}
