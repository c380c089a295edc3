import { createHash } from 'node:crypto';
import type { promises as fs } from 'node:fs';
import type { ExportFormat } from './export-file-name';
import type { ExportRecord } from './export-records';
import { formatCsvLine } from './format-csv-line';
import { writeFileAtomically } from './write-file-atomically';

/** What was written: data lines (the CSV header not counted) and the SHA-256 (hex) of the file's bytes. */
export interface WrittenExport {
  rows: number;
  sha256: string;
}

/** Text is written in chunks of about this many bytes: one system call per chunk, not per line. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Writes an export file atomically, streaming the records page by page (a snapshot of a large
 * segment is never held in memory at once): CSV with a header line, or NDJSON objects keyed by
 * `columns`.
 */
export function writeExportFile(
  file: string,
  layout: { columns: readonly string[]; format: ExportFormat },
  pages: AsyncIterable<ExportRecord[]>,
): Promise<WrittenExport> {
  return writeFileAtomically(file, async (handle) => {
    const output = new ChunkedOutput(handle);
    const line = layout.format === 'csv' ? formatCsvLine : (record: ExportRecord) => ndjsonLine(layout.columns, record);
    if (layout.format === 'csv') await output.add(formatCsvLine(layout.columns));
    let rows = 0;
    for await (const page of pages) {
      for (const record of page) await output.add(line(record));
      rows += page.length;
    }
    await output.flush();
    return { rows, sha256: output.sha256() };
  });
}

function ndjsonLine(columns: readonly string[], record: ExportRecord): string {
  return `${JSON.stringify(Object.fromEntries(columns.map((column, i) => [column, record[i]])))}\n`;
}

/** Buffers text, hashes exactly the bytes written. */
class ChunkedOutput {
  private readonly hash = createHash('sha256');
  private buffered: string[] = [];
  private length = 0;

  constructor(private readonly handle: fs.FileHandle) {}

  async add(text: string): Promise<void> {
    this.buffered.push(text);
    this.length += text.length;
    if (this.length >= CHUNK_BYTES) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffered.length === 0) return;
    const bytes = Buffer.from(this.buffered.join(''), 'utf8');
    this.buffered = [];
    this.length = 0;
    this.hash.update(bytes);
    // A write may take only part of the buffer; the rest is written by the next call.
    for (let offset = 0; offset < bytes.length; )
      offset += (await this.handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}
