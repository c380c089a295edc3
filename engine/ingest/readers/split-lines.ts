import { isUtf8 } from 'node:buffer';
import { findInvalidUtf8 } from './find-invalid-utf8';
import { LineSplitter } from './line-splitter';
import type { TextLine } from './text-line';

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
