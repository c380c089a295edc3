import { MissingSecretError } from '../../config/resolve-secret';
import type { IngestProgress } from '../../ingest/ingest-objects';
import { runSourceIngest } from '../../ingest/run-source-ingest';
import { SourceRunError } from '../../ingest/source-run-error';
import { afterIngest } from '../../jobs/after-ingest';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { openSandbox } from './open-sandbox';

export interface SourceRunOptions {
  source: string;
  sandbox: string;
  full: boolean;
  stitch: boolean;
  format: 'text' | 'json';
}

/** `roster source run NAME`: one ingestion run now (incremental unless --full), then identity stitching. */
export async function runSourceRun(options: SourceRunOptions, io: CliIo): Promise<number> {
  const db = await openSandbox(options.sandbox, io);
  try {
    const result = await runSourceIngest(db.pool, options.sandbox, options.source, {
      trigger: 'manual',
      env: io.env,
      full: options.full,
      onProgress: (p) => io.stderr(progressText(p, io.isTTY)),
    }).catch((error) => {
      if (error instanceof SourceRunError || error instanceof MissingSecretError)
        throw new CommandError('SOURCE_RUN', error.message);
      throw error;
    });
    if (io.isTTY) io.stderr('\n');
    const { stitched, streamed, failures } = await afterIngest(db.pool, options.sandbox, result, {
      stitch: options.stitch,
    });
    for (const failure of failures) io.stderr(`SEGMENT_FAILED ${failure}\n`);
    if (options.format === 'json') {
      io.stdout(
        `${JSON.stringify({ source: options.source, sandbox: options.sandbox, ...result, stitched, streamed }, null, 2)}\n`,
      );
    } else {
      io.stdout(`${summaryText(options.source, result)}\n`);
      for (const s of stitched)
        io.stdout(
          `Identity stitching (${s.entity}s): ${s.records} records re-examined, ${s.profiles} profiles, ${s.conflicts} merges refused.\n`,
        );
    }
    if (result.status === 'failed')
      throw new CommandError('SOURCE_FAILED', `Source/${options.source} run ${result.runId} failed: ${result.error}`);
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

function summaryText(
  source: string,
  r: {
    runId: number;
    status: string;
    read: number;
    written: number;
    unchanged: number;
    quarantined: number;
    deleted: number;
  },
): string {
  const share = r.read === 0 ? '0' : ((100 * r.quarantined) / r.read).toFixed(1);
  return `Source/${source} run ${r.runId} ${r.status}: ${r.read} read, ${r.written} written, ${r.unchanged} unchanged, ${r.deleted} deleted, ${r.quarantined} quarantined (${share}%).${r.quarantined > 0 ? ` See roster source errors ${source}.` : ''}`;
}

/** One progress line: rewritten in place on a terminal, appended otherwise. */
function progressText(p: IngestProgress, tty: boolean): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.read * 1000) / p.elapsedMs) : 0;
  const line = `${p.read} read, ${p.quarantined} quarantined, ${rate} records/s`;
  return tty ? `\r${line}\u001b[K` : `${line}\n`;
}
