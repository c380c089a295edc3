import { isUtf8 } from 'node:buffer';
import { findInvalidUtf8 } from './find-invalid-utf8';
import { LineSplitter } from './line-splitter';

/** One line of a text file, as the line-based readers (CSV, NDJSON) see it. */
export interface TextLine {
  /** The line without its terminator (LF or CRLF); undefined when the line was over the limit and skipped unread. */
  text: string | undefined;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's start in the (decompressed) file; a leading UTF-8 BOM is before line 1. */
  offset: number;
  /** Length of the line in bytes, without its terminator. */
  bytes: number;
  /** Whether the line ended with CRLF, so a CSV field that spans lines keeps the file's own line break. */
  crlf: boolean;
  /** The first byte that is not UTF-8 (`at` is its offset in the line); undefined when the line is valid. */
  invalidUtf8: { at: number; byte: number } | undefined;
  /** For a line over the limit: how many `"` bytes it held (CSV uses it to find the end of a skipped record) and its first 2 KiB. */
  skipped: { quotes: number; head: string } | undefined;
}

/**
 * The lines of `input`, in batches (one per chunk read, so that callers loop synchronously over
 * many lines per await). Memory stays bounded: a line longer than `maxLineBytes` is not gathered,
 * it is counted as it streams past and handed over with `text` undefined.
 */
export async function* splitLines(
  input: AsyncIterable<Buffer | Uint8Array | string>,
  maxLineBytes: number,
): AsyncGenerator<TextLine[]> {
  const splitter = new LineSplitter(maxLineBytes, decodeLine);
  for await (const chunk of input) {
    const lines: TextLine[] = [];
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : toBuffer(chunk), lines);
    if (lines.length > 0) yield lines;
  }
  const last: TextLine[] = [];
  splitter.end(last);
  if (last.length > 0) yield last;
}

/** The text of `buf[start, end)` and where it first stops being UTF-8. */
function decodeLine(buf: Buffer, start: number, end: number): Pick<TextLine, 'text' | 'invalidUtf8'> {
  const text = buf.toString('utf8', start, end);
  // The decoder turns bad bytes into U+FFFD; only then is the exact check worth its cost.
  if (text.indexOf('\uFFFD') === -1 || isUtf8(buf.subarray(start, end))) return { text, invalidUtf8: undefined };
  const at = findInvalidUtf8(buf.subarray(start, end));
  return { text, invalidUtf8: { at, byte: buf[start + at]! } };
}

function toBuffer(chunk: Buffer | Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
