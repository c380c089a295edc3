import * as path from 'node:path';
import { type CliIo, EXIT } from '../cli-io';
import { runValidate } from './validate-command';

export interface DemoOptions {
  /** The example project (examples/acme of this checkout). */
  exampleDir: string;
}

/**
 * `roster demo`, what `npm start` runs. Today it validates the example project and says what the
 * next steps of the pipeline are; as the runtime lands it grows into the full end-to-end run.
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  const dir = path.relative(io.cwd, options.exampleDir) || '.';
  io.stdout(`Roster demo: validating the example project ${dir}\n\n`);
  const code = await runValidate({ dir, sandbox: 'demo', format: 'text' }, io);
  if (code !== EXIT.ok) return code;
  io.stdout(
    [
      '',
      'Next steps:',
      `  npx roster validate ${dir} --format json   machine-readable report of the same checks`,
      '  npx roster validate <your-dir>              check your own resource files',
      '',
      'Planning, applying and running audiences against PostgreSQL are under construction (see README.md, "Status").',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
