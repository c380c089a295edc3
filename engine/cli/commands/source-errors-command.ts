import { sandboxSchema } from '../../runtime/sandbox-schema';
import { type CliIo, EXIT } from '../cli-io';
import { openSandbox } from './open-sandbox';

export interface SourceErrorsOptions {
  source: string;
  sandbox: string;
  run?: number;
  limit: number;
  format: 'text' | 'json';
}

interface QuarantineRow {
  runId: number;
  object: string;
  origin: string;
  line: number | null;
  recordIndex: number | null;
  field: string | null;
  reason: string;
  raw: string | null;
}

/** `roster source errors NAME`: the quarantined records of the source's latest run (or of --run N). */
export async function runSourceErrors(options: SourceErrorsOptions, io: CliIo): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const s = sandboxSchema(options.sandbox);
    const run =
      options.run ??
      (
        await db.pool.query<{ id: string }>(`select max(run_id) as id from ${s}.ingest_runs where source = $1`, [
          options.source,
        ])
      ).rows[0]?.id;
    const { rows } = await db.pool.query<QuarantineRow>(
      `select run_id::int as "runId", object, origin, line, record_index::int as "recordIndex", field, reason, raw
       from ${s}.quarantine where source = $1 and run_id = $2 order by id limit $3`,
      [options.source, run ?? 0, options.limit],
    );
    const total = (
      await db.pool.query<{ n: number }>(
        `select count(*)::int as n from ${s}.quarantine where source = $1 and run_id = $2`,
        [options.source, run ?? 0],
      )
    ).rows[0]!.n;
    if (options.format === 'json') {
      io.stdout(
        `${JSON.stringify({ source: options.source, runId: run === undefined || run === null ? null : Number(run), total, records: rows }, null, 2)}\n`,
      );
      return EXIT.ok;
    }
    if (run === undefined || run === null) {
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
