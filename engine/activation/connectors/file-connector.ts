import * as path from 'node:path';
import { type ConnectorFactory, DeliveryError, destinationFields } from '../connector';
import { fileDeliveryError } from './file/file-delivery-error';
import { type FileExportSettings, writeSegmentExport } from './file/write-segment-export';

/**
 * The `file` destination: CSV or NDJSON exports in `<directory>/<sandbox>/<segment>/`, one file per delivered
 * batch (the full membership in `snapshot` mode, the batch's changes in `incremental` mode),
 * written atomically and listed in the segment's `manifest.json`.
 *
 * One batch at a time: the manifest is read, extended and replaced by one writer only.
 */
export const createFileConnector: ConnectorFactory = (target, environment) => {
  const block = target.spec.file;
  if (block === undefined)
    throw new DeliveryError(`Destination/${target.name} is of type file but has no "file" block`, { retryable: false });
  const settings: FileExportSettings = {
    destination: target.name,
    // Each sandbox has a directory of its own under the configured one: the same files applied to
    // two sandboxes name the same directory, and one manifest cannot list two sandboxes' exports.
    directory: path.resolve(environment.cwd, block.directory, target.sandbox),
    mode: block.mode ?? 'snapshot',
    format: block.format ?? 'csv',
    fields: destinationFields(target.spec),
  };
  return {
    maxBatchSize: 50_000,
    maxConcurrency: 1,
    async deliver(batch, context) {
      try {
        await writeSegmentExport(settings, batch, context);
      } catch (error) {
        throw fileDeliveryError(target.name, error);
      }
      return { unmatched: [] };
    },
    async close() {},
  };
};
