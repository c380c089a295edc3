import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ExportManifest } from './export-manifest';
import { TEMP_FILE } from './temp-path-for';

/**
 * Removes what crashed writes left in a segment directory: temporary files (a crash before the
 * rename), and files of this batch that the manifest does not list (a crash after the rename,
 * before the manifest update), which the batch is about to write again. Only one batch of a
 * destination is written at a time (`maxConcurrency` 1), so no temporary file is in use.
 */
export async function removeStaleFiles(
  directory: string,
  manifest: ExportManifest,
  batchHash: string,
): Promise<string[]> {
  const listed = new Set(manifest.files.map((entry) => entry.file));
  const stale = (await fs.readdir(directory)).filter(
    (name) => TEMP_FILE.test(name) || (!listed.has(name) && path.parse(name).name.endsWith(`-${batchHash}`)),
  );
  for (const name of stale) await fs.rm(path.join(directory, name), { force: true });
  return stale;
}
