import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ExportFormat, ExportMode } from './export-file-name';
import { writeFileAtomically } from './write-file-atomically';

/** One export file of a segment, as `manifest.json` lists it. */
export interface ManifestEntry {
  /** File name, in the manifest's directory. */
  file: string;
  mode: ExportMode;
  format: ExportFormat;
  /** Data lines (the CSV header not counted). */
  rows: number;
  /** SHA-256 (hex) of the file's bytes, to check a copy. */
  sha256: string;
  /** The delivery batch that wrote the file: a replayed batch is recognised here and not written again. */
  batchId: string;
  /** When the file was written (ISO 8601). */
  writtenAt: string;
}

/**
 * `manifest.json` of a segment directory: the complete export files, oldest first. Readers take
 * the files it lists (and `latest` for the newest) rather than listing the directory, which may
 * hold a file whose manifest update a crash interrupted.
 */
export interface ExportManifest {
  destination: string;
  segment: string;
  /** File name of the newest entry; absent before the first export. */
  latest?: string;
  files: ManifestEntry[];
}

export const MANIFEST_FILE = 'manifest.json';

/** The segment directory's manifest, or an empty one when there is none yet. */
export async function readExportManifest(
  directory: string,
  owner: { destination: string; segment: string },
): Promise<ExportManifest> {
  const file = path.join(directory, MANIFEST_FILE);
  const text = await fs.readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return { ...owner, files: [] };
  try {
    const manifest = JSON.parse(text) as ExportManifest;
    if (!Array.isArray(manifest.files)) throw new Error('"files" is not an array');
    return manifest;
  } catch (error) {
    throw new ManifestUnreadableError(file, error);
  }
}

/** The manifest with `entry` added as the newest file. */
export function withManifestEntry(manifest: ExportManifest, entry: ManifestEntry): ExportManifest {
  return { ...manifest, latest: entry.file, files: [...manifest.files, entry] };
}

/** Replaces the manifest atomically (readers see the old or the new list, never a part). */
export async function writeExportManifest(directory: string, manifest: ExportManifest): Promise<void> {
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFileAtomically(path.join(directory, MANIFEST_FILE), (handle) => handle.writeFile(text, 'utf8'));
}

/** A manifest that is not Roster's JSON (edited by hand, or another program's file). */
export class ManifestUnreadableError extends Error {
  override readonly name = 'ManifestUnreadableError';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `${file} is not a readable export manifest (${cause instanceof Error ? cause.message : String(cause)}); restore it or move it away (a new one is started)`,
      { cause },
    );
  }
}
