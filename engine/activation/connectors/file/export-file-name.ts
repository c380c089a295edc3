import { createHash } from 'node:crypto';

/** How a file destination writes a segment: the whole membership, or the batch's changes. */
export type ExportMode = 'snapshot' | 'incremental';

/** The text format of an export file. */
export type ExportFormat = 'csv' | 'ndjson';

/**
 * The first 12 hex digits of the batch id's SHA-256: short enough for a file name, long enough that
 * two batches of one segment never share it in practice (48 bits).
 */
export function shortBatchHash(batchId: string): string {
  return createHash('sha256').update(batchId).digest('hex').slice(0, 12);
}

/**
 * `<segment>-<yyyymmddThhmmssZ>-<hash>.<format>` for snapshots, `<segment>-changes-<...>` for
 * incremental exports: sorted by name they are sorted by time, and the hash ties a file to its batch.
 */
export function exportFileName(
  segment: string,
  options: { mode: ExportMode; format: ExportFormat; batchId: string },
  at: Date,
): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  const kind = options.mode === 'incremental' ? '-changes' : '';
  return `${segment}${kind}-${stamp}-${shortBatchHash(options.batchId)}.${options.format}`;
}
