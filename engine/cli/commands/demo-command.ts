import * as path from 'node:path';
import { type CliIo, EXIT } from '../cli-io';
import { runApply } from './apply-command';
import { runValidate } from './validate-command';

export interface DemoOptions {
  /** The example project (examples/acme of this checkout). */
  exampleDir: string;
}

const SANDBOX = 'demo';

/**
 * `roster demo`, what `npm start` runs: validates the example project and applies it to the `demo`
 * sandbox of the runtime database (DATABASE_URL, else the embedded default). A second run finds
 * nothing to change. Ingestion, evaluation and activation join as the runtime grows.
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  const dir = path.relative(io.cwd, options.exampleDir) || '.';
  io.stdout(`Roster demo: the example project ${dir}, sandbox ${SANDBOX}\n\n1. Validate\n`);
  const valid = await runValidate({ dir, sandbox: SANDBOX, format: 'text' }, io);
  if (valid !== EXIT.ok) return valid;
  io.stdout('\n2. Plan and apply to the runtime database\n');
  const applied = await runApply({ dir, sandbox: SANDBOX, yes: true, lockTimeoutMs: 60_000, format: 'text' }, io);
  if (applied !== EXIT.ok) return applied;
  const explore: [string, string][] = [
    [`npx roster status --sandbox ${SANDBOX}`, 'what is applied, revision by revision'],
    [`npx roster plan ${dir} --sandbox ${SANDBOX} --format markdown`, 'the plan as a pull-request comment'],
    [`npx roster validate ${dir} --format json`, 'the checks, machine-readable'],
  ];
  const width = Math.max(...explore.map(([command]) => command.length));
  io.stdout(
    [
      '',
      'Explore:',
      ...explore.map(([command, what]) => `  ${command.padEnd(width)}  ${what}`),
      '',
      'Ingestion, identity stitching, segment evaluation and activation are being built next (README.md, "Status").',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
