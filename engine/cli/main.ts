import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { SegmentEvaluationError } from '../segment/evaluate-segment';
import { packageRoot } from '../util/package-root';
import { ISO_TIME_ALLOWED, parseIsoTime } from '../util/parse-iso-time';
import { type CliIo, EXIT, processIo } from './cli-io';
import { CommandError } from './command-error';
import {
  runApply,
  runCatalog,
  runDemo,
  runDestinationActivate,
  runDestinationPause,
  runDestinationReconcile,
  runDestinationRetry,
  runDestinationStatus,
  runInit,
  runPlan,
  runProfileGet,
  runPromote,
  runRun,
  runSegmentExplain,
  runSegmentMembers,
  runSegmentPreview,
  runSegmentRun,
  runSegmentSizes,
  runSegmentSql,
  runShow,
  runSourceErrors,
  runSourceRun,
  runStatus,
  runTest,
  runValidate,
} from './lazy-commands';
import { parseCount, parseDuration } from './parse-duration';
import { parseFormat, parseSandbox, UsageError } from './usage-error';

const VERSION = '0.1.0';

/**
 * Runs the `roster` command line and resolves to the exit code. User mistakes become coded
 * messages (never stack traces): usage errors exit 2, failed operations 1.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof CommandError) {
      io.stderr(`${error.code} ${error.message}\n`);
      return EXIT.failed;
    }
    if (error instanceof SegmentEvaluationError) {
      io.stderr(`SEGMENT_FAILED ${error.message}\n`);
      return EXIT.failed;
    }
    if (isConnectionFailure(error)) {
      io.stderr(
        `RUNTIME_DATABASE the database connection failed (${(error as Error).message}); nothing was left half-written: check that PostgreSQL is running and run the command again\n`,
      );
      return EXIT.failed;
    }
    throw error;
  }
}

/** Connection-level failures (server restarted, unreachable): an operational condition, not a bug. */
function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const codes = [
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    '57P01',
    '57P02',
    '57P03',
    '08000',
    '08001',
    '08003',
    '08004',
    '08006',
  ];
  return (
    (code !== undefined && codes.includes(code)) || /Connection terminated|terminating connection/i.test(message ?? '')
  );
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('roster')
    .description(
      'B2B audiences as code: validate, plan and apply sources, identity mappings, segments and destinations.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  // Commands that read resource files render them for the sandbox; the others only work in it.
  const sandbox = (description = 'sandbox to work in (its PostgreSQL schema is roster_<name>)') =>
    new Option('--sandbox <name>', description).default('dev').argParser(parseSandbox);
  const filesSandbox = () =>
    sandbox('sandbox to work in; the resource files are rendered for it (the `sandbox` template variable)');
  const format = (allowed: readonly string[]) =>
    new Option('--format <format>', `output format: ${allowed.join(', ')}`)
      .default('text')
      .argParser((v) => parseFormat(v, allowed));

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
    .addOption(format(['text', 'json']))
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
    .addOption(filesSandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (dir: string, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runValidate({ dir, sandbox: options.sandbox, format: options.format }, io));
    });

  const lockTimeout = () =>
    new Option('--lock-timeout <duration>', 'wait this long for another apply to release the sandbox (e.g. 30s, 5m)')
      .default(0, '0: fail at once')
      .argParser(parseDuration);

  program
    .command('plan')
    .description(
      'Show what `roster apply` would change in the sandbox: creates, updates (with the spec diff), replaces (and why), deletes, and the data impact of segment changes. Writes nothing.',
    )
    .argument('[dir]', 'directory holding the resource files', '.')
    .addOption(filesSandbox())
    .addOption(format(['text', 'markdown', 'json']))
    .option('--detailed-exitcode', 'exit 0 when there are no changes, 2 when there are changes, 1 on error')
    .option('--no-impact', 'skip the data impact of segment changes (read-only previews on current data)')
    .option(
      '--out <file>',
      'also save the plan to FILE; `roster apply FILE` applies exactly it, or refuses if things moved',
    )
    .option('--no-evaluate', 'plan an apply that does not evaluate the changed segments (see apply --no-evaluate)')
    .exitOverride()
    .action(
      async (
        dir: string,
        options: {
          sandbox: string;
          format: 'text' | 'markdown' | 'json';
          detailedExitcode?: boolean;
          impact: boolean;
          out?: string;
          evaluate: boolean;
        },
      ) => {
        setExit(
          await runPlan(
            {
              dir,
              sandbox: options.sandbox,
              format: options.format,
              detailedExitcode: options.detailedExitcode === true,
              impact: options.impact,
              evaluate: options.evaluate,
              ...(options.out ? { out: options.out } : {}),
            },
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
    .addOption(filesSandbox())
    .option('-y, --yes', 'apply without asking for confirmation (required when not run in a terminal)')
    .option('--no-evaluate', 'do not evaluate the changed segments after applying (members change at their next run)')
    .addOption(lockTimeout())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(
      async (
        dir: string,
        options: { sandbox: string; yes?: boolean; lockTimeout: number; format: 'text' | 'json'; evaluate: boolean },
        command: Command,
      ) => {
        setExit(
          await runApply(
            {
              dir,
              sandbox: options.sandbox,
              sandboxGiven: command.getOptionValueSource('sandbox') === 'cli',
              yes: options.yes === true,
              lockTimeoutMs: options.lockTimeout,
              format: options.format,
              evaluate: options.evaluate,
            },
            io,
          ),
        );
      },
    );

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
    .addOption(lockTimeout())
    .addOption(format(['text', 'markdown', 'json']))
    .exitOverride()
    .action(
      async (
        dir: string,
        o: {
          from: string;
          to: string;
          apply?: boolean;
          impact: boolean;
          evaluate: boolean;
          lockTimeout: number;
          format: 'text' | 'markdown' | 'json';
        },
      ) => {
        if (o.from === o.to)
          throw new UsageError('--from and --to name the same sandbox; promote from one sandbox to another');
        const { lockTimeout: lockTimeoutMs, apply, ...rest } = o;
        setExit(await runPromote({ dir, ...rest, apply: apply === true, lockTimeoutMs }, io));
      },
    );

  program
    .command('show')
    .description(
      'Render a saved plan (roster plan --out FILE) as roster plan renders plans: text, markdown for a pull request, or json. Reads no database.',
    )
    .argument('<plan>', 'the saved plan file')
    .addOption(format(['text', 'markdown', 'json']))
    .exitOverride()
    .action(async (file: string, options: { format: 'text' | 'markdown' | 'json' }) => {
      setExit(await runShow({ file, format: options.format }, io));
    });

  program
    .command('destroy')
    .description(
      'Delete every resource applied to the sandbox, dependents first, under the same lock and journal as apply.',
    )
    .addOption(sandbox().makeOptionMandatory())
    .option('-y, --yes', 'destroy without asking for confirmation (required when not run in a terminal)')
    .addOption(lockTimeout())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (options: { sandbox: string; yes?: boolean; lockTimeout: number; format: 'text' | 'json' }) => {
      setExit(
        await runApply(
          {
            sandbox: options.sandbox,
            yes: options.yes === true,
            lockTimeoutMs: options.lockTimeout,
            format: options.format,
          },
          io,
        ),
      );
    });

  program
    .command('status')
    .description(
      'Show the resources applied to the sandbox (revision, when, by whom), its lock holder and any interrupted apply.',
    )
    .addOption(sandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runStatus({ sandbox: options.sandbox, format: options.format }, io));
    });

  program
    .command('catalog')
    .description(
      "List the attributes segments and destinations can use, per entity: built-in and the sources' custom fields, with type, operators and the source fields that fill them. Reads files only.",
    )
    .argument('[dir]', 'directory of resource files', '.')
    .addOption(filesSandbox())
    .addOption(format(['text', 'json']))
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
    .addOption(format(['text', 'json', 'junit']))
    .option('--output <file>', 'write the report to FILE instead of standard output')
    .option('--filter <name>', 'run only the tests whose name contains NAME')
    .exitOverride()
    .action(async (dir: string, options: { format: 'text' | 'json' | 'junit'; output?: string; filter?: string }) => {
      setExit(await runTest({ dir, ...options }, io));
    });

  const source = program.command('source').description('Run sources and inspect what they loaded.');
  source
    .command('run')
    .description(
      'Ingest a source now: incremental from its watermark (unless --full), idempotent by source key, then stitch identities. Exit 1 if the run fails.',
    )
    .argument('<name>', 'name of an applied Source')
    .addOption(sandbox())
    .option('--full', 'ignore the stored watermark and read everything again (unchanged records still write nothing)')
    .option('--no-stitch', 'skip identity stitching after the run')
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(
      async (name: string, options: { sandbox: string; full?: boolean; stitch: boolean; format: 'text' | 'json' }) => {
        setExit(
          await runSourceRun(
            {
              source: name,
              sandbox: options.sandbox,
              full: options.full === true,
              stitch: options.stitch,
              format: options.format,
            },
            io,
          ),
        );
      },
    );
  source
    .command('errors')
    .description(
      "Show the quarantined records of a source's latest run (or of --run N): where each is, which field, and why.",
    )
    .argument('<name>', 'name of an applied Source')
    .addOption(sandbox())
    .option('--run <id>', 'a specific run', parseCount('--run', 1))
    .option('--limit <n>', 'most records to show', parseCount('--limit', 1), 50)
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(
      async (name: string, options: { sandbox: string; run?: number; limit: number; format: 'text' | 'json' }) => {
        setExit(
          await runSourceErrors(
            {
              source: name,
              sandbox: options.sandbox,
              limit: options.limit,
              format: options.format,
              ...(options.run ? { run: options.run } : {}),
            },
            io,
          ),
        );
      },
    );

  const segment = program.command('segment').description('Evaluate segments and inspect their members.');
  segment
    .command('run')
    .description(
      'Evaluate a segment now (batch): members computed by one statement, entries and exits written to history and the activation outbox in one transaction.',
    )
    .argument('[name]', 'name of an applied Segment')
    .option('--all', 'every applied segment, each after the segments it references')
    .addOption(sandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (name: string | undefined, options: { sandbox: string; all?: boolean; format: 'text' | 'json' }) => {
      if (!name && !options.all) throw new UsageError('name a segment, or pass --all');
      setExit(
        await runSegmentRun(
          { sandbox: options.sandbox, all: options.all === true, format: options.format, ...(name ? { name } : {}) },
          io,
        ),
      );
    });
  segment
    .command('preview')
    .description(
      'What a segment would contain on current data (size, entering, exiting, a sample, evaluation mode and why): a resource FILE not yet applied, or an applied segment NAME. Writes nothing.',
    )
    .argument('<file-or-name>', 'a Segment resource file, or the name of an applied Segment')
    .addOption(filesSandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (target: string, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runSegmentPreview({ sandbox: options.sandbox, target, format: options.format }, io));
    });
  segment
    .command('explain')
    .description(
      'Why a person (or account) is or is not a member: each branch of the condition for that subject, with the rows (account, opportunities, events...) that satisfied it.',
    )
    .argument('<name>', 'name of an applied Segment')
    .addOption(sandbox())
    .option('--person <id>', 'a person id (see roster profile get)', parseCount('--person', 1))
    .option('--account <id>', 'an account id, for account audiences', parseCount('--account', 1))
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(
      async (
        name: string,
        options: { sandbox: string; person?: number; account?: number; format: 'text' | 'json' },
      ) => {
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
    .addOption(sandbox())
    .option('--limit <n>', 'most runs to show', parseCount('--limit', 1), 50)
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (name: string, options: { sandbox: string; limit: number; format: 'text' | 'json' }) => {
      setExit(
        await runSegmentSizes({ sandbox: options.sandbox, name, limit: options.limit, format: options.format }, io),
      );
    });
  segment
    .command('sql')
    .description('Print the SQL statement (and its bind parameters) a batch run of the segment executes, for review.')
    .argument('<name>', 'name of an applied Segment')
    .addOption(sandbox())
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
    .addOption(sandbox())
    .option('--limit <n>', 'members per page', parseCount('--limit', 1), 100)
    .option('--offset <n>', 'members to skip', parseCount('--offset'), 0)
    .option('--as-of <time>', 'ISO 8601 time', (v) => {
      // Checked as the read API checks asOf: a year PostgreSQL cannot hold is a usage error, not a database error.
      const time = parseIsoTime(v);
      if (time === undefined) throw new UsageError(`--as-of "${v}" must be ${ISO_TIME_ALLOWED}`);
      return time;
    })
    .addOption(format(['text', 'csv', 'json']))
    .exitOverride()
    .action(
      async (
        name: string,
        options: { sandbox: string; limit: number; offset: number; asOf?: Date; format: 'text' | 'csv' | 'json' },
      ) => {
        setExit(
          await runSegmentMembers(
            {
              sandbox: options.sandbox,
              name,
              limit: options.limit,
              offset: options.offset,
              format: options.format,
              ...(options.asOf ? { asOf: options.asOf } : {}),
            },
            io,
          ),
        );
      },
    );

  program
    .command('profile')
    .description('Inspect unified profiles.')
    .command('get')
    .description(
      'Show a unified person: attributes, identities, account, opportunities and roles, recent events, and the source records it was stitched from.',
    )
    .addOption(sandbox())
    .option('--email <address>', 'find the person by email (case-insensitive)')
    .option('--id <id>', 'a person id, or an identity as namespace:value (e.g. crmContactId:003...)')
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (options: { sandbox: string; email?: string; id?: string; format: 'text' | 'json' }) => {
      setExit(
        await runProfileGet(
          {
            sandbox: options.sandbox,
            format: options.format,
            ...(options.email ? { email: options.email } : {}),
            ...(options.id ? { id: options.id } : {}),
          },
          io,
        ),
      );
    });

  const destination = program
    .command('destination')
    .description('Deliver segment changes to destinations and inspect delivery (pending, delivered, dead-lettered).');
  destination
    .command('status')
    .description(
      'Delivery state per destination: pending, retrying, delivered, unmatched, dead-lettered and cancelled changes, members held, last success and last error.',
    )
    .argument('[name]', 'name of an applied Destination (default: all)')
    .addOption(sandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (name: string | undefined, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runDestinationStatus({ ...options, ...(name ? { name } : {}) }, io));
    });
  destination
    .command('activate')
    .description(
      'Deliver the pending changes of a destination now (also a scheduled one), backfilling segments newly bound to it; exit 1 if some changes failed.',
    )
    .argument('<name>', 'name of an applied Destination')
    .addOption(sandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (name: string, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runDestinationActivate({ ...options, name }, io));
    });
  for (const [verb, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const)
    destination
      .command(verb)
      .description(
        paused
          ? 'Stop delivering to a destination; changes accumulate in the outbox until it is resumed.'
          : 'Resume delivery to a paused destination; accumulated changes drain in order.',
      )
      .argument('<name>', 'name of an applied Destination')
      .addOption(sandbox())
      .addOption(format(['text', 'json']))
      .exitOverride()
      .action(async (name: string, options: { sandbox: string; format: 'text' | 'json' }) => {
        setExit(await runDestinationPause({ ...options, name, paused }, io));
      });
  destination
    .command('retry')
    .description('Queue the dead-lettered changes of a destination again, with fresh attempts, due now.')
    .argument('<name>', 'name of an applied Destination')
    .addOption(sandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (name: string, options: { sandbox: string; format: 'text' | 'json' }) => {
      setExit(await runDestinationRetry({ ...options, name }, io));
    });
  destination
    .command('reconcile')
    .description(
      "Read back what the destination holds (Marketo list members, the table) and compare it with each segment's members; --repair makes them equal. Exit 1 on drift without --repair.",
    )
    .argument('<name>', 'name of an applied Destination (marketo-static-list or postgres-table)')
    .option('--repair', 'add the missing members and remove the unexpected ones')
    .addOption(sandbox())
    .addOption(format(['text', 'json']))
    .exitOverride()
    .action(async (name: string, options: { sandbox: string; format: 'text' | 'json'; repair?: boolean }) => {
      setExit(await runDestinationReconcile({ ...options, name, repair: options.repair === true }, io));
    });

  program
    .command('run')
    .description(
      'Run the service: job workers (schedules, ingestion, stitching) and the HTTP server (POST /v1/sources/<name>/batches, /healthz, /readyz, /metrics). JSON logs on stdout at ROSTER_LOG_LEVEL (default info); stops cleanly on SIGTERM.',
    )
    .addOption(sandbox())
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', parseCount('--port'), 8080)
    .option('--no-workers', 'serve HTTP only, run no jobs')
    .exitOverride()
    .action(async (options: { sandbox: string; host: string; port: number; workers: boolean }) => {
      setExit(
        await runRun(
          { sandbox: options.sandbox, host: options.host, port: options.port, workers: options.workers },
          io,
        ),
      );
    });

  program
    .command('demo')
    .description(
      'The quick-start job (`npm start`): runs the example project examples/acme end to end and prints what to explore next.',
    )
    .exitOverride()
    .action(async () => {
      setExit(await runDemo({ exampleDir: path.join(packageRoot(), 'examples', 'acme') }, io));
    });

  return program;
}
