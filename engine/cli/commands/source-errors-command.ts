import { readQuarantine } from '../../ingest/read-quarantine';
import { type CliIo, EXIT } from '../cli-io';
import { openSandbox } from './open-sandbox';

export interface SourceErrorsOptions {
  source: string;
  sandbox: string;
  run?: number;
  limit: number;
  format: 'text' | 'json';
}

/** `roster source errors NAME`: the quarantined records of the source's latest run (or of --run N). */
export async function runSourceErrors(options: SourceErrorsOptions, io: CliIo): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const page = await readQuarantine(db.pool, options.sandbox, {
      source: options.source,
      limit: options.limit,
      ...(options.run ? { run: options.run } : {}),
    });
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ source: options.source, ...page }, null, 2)}\n`);
      return EXIT.ok;
    }
    const { runId: run, total, records: rows } = page;
    if (run === null) {
      io.stdout(`Source/${options.source} has not run in sandbox ${options.sandbox}.\n`);
      return EXIT.ok;
    }
    io.stdout(
      `Source/${options.source} run ${run}: ${total} quarantined record(s)${total > rows.length ? `, first ${rows.length}` : ''}.\n`,
    );
    for (const r of rows) {
      const where = `${r.origin}${r.line ? `:${r.line}` : ''}${r.line ? '' : ` #${r.recordIndex}`}`;
      io.stdout(`  ${r.object} ${where}${r.field ? ` [${r.field}]` : ''}: ${r.reason}\n`);
    }
    return EXIT.ok;
  } finally {
    await db.close();
  }
}
