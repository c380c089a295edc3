import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { DeliveryBatch, DeliveryContext } from '../../connector';
import { type ExportFormat, type ExportMode, exportFileName, shortBatchHash } from './export-file-name';
import { readExportManifest, withManifestEntry, writeExportManifest } from './export-manifest';
import { changeRecords, exportColumns, snapshotRecords } from './export-records';
import { removeStaleFiles } from './remove-stale-files';
import { writeExportFile } from './write-export-file';

/** A file destination's settings, defaults applied and the directory absolute. */
export interface FileExportSettings {
  destination: string;
  directory: string;
  mode: ExportMode;
  format: ExportFormat;
  fields: readonly string[];
}

/**
 * Writes one batch's export into `<directory>/<segment>/` and lists it in the segment's manifest;
 * does nothing when the manifest already lists the batch (a replay after a crash).
 */
export async function writeSegmentExport(
  settings: FileExportSettings,
  batch: DeliveryBatch,
  context: DeliveryContext,
): Promise<void> {
  const { destination, mode, format, fields } = settings;
  const directory = path.join(settings.directory, batch.segment);
  await fs.mkdir(directory, { recursive: true });
  const manifest = await readExportManifest(directory, { destination, segment: batch.segment });
  const removed = await removeStaleFiles(directory, manifest, shortBatchHash(batch.batchId));
  if (removed.length > 0) context.log({ destination, segment: batch.segment, removedStaleFiles: removed });
  const done = manifest.files.find((entry) => entry.batchId === batch.batchId);
  if (done) {
    context.log({ destination, segment: batch.segment, batchId: batch.batchId, alreadyWritten: done.file });
    return;
  }
  const writtenAt = new Date();
  const file = exportFileName(batch.segment, { mode, format, batchId: batch.batchId }, writtenAt);
  const pages =
    mode === 'snapshot' ? snapshotRecords(batch.segment, fields, context) : changeRecords(batch.changes, fields);
  const written = await writeExportFile(
    path.join(directory, file),
    { columns: exportColumns(mode, fields), format },
    pages,
  );
  const entry = { file, mode, format, ...written, batchId: batch.batchId, writtenAt: writtenAt.toISOString() };
  await writeExportManifest(directory, withManifestEntry(manifest, entry));
  context.log({ destination, segment: batch.segment, batchId: batch.batchId, file, rows: written.rows });
}
