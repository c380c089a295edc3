import type { Readable } from 'node:stream';
import type { ReadItem, ReadLimits, RecordPosition } from '../source-record';
import { describeJsonError } from './describe-json-error';
import { describeJsonKind } from './describe-json-kind';
import { formatByteSize } from './format-byte-size';
import { splitLines } from './split-lines';
import type { TextLine } from './text-line';
import { truncateRaw } from './truncate-raw';

/** Options of `readNdjson`. */
export interface NdjsonReadOptions {
  /** The name records are reported under (a path relative to the source's baseDir). */
  origin: string;
  limits: ReadLimits;
}

/**
 * The records of an NDJSON file (one JSON object per line), streamed. Blank lines are skipped; LF
 * and CRLF are accepted; nested objects and arrays stay as values (callers read them with
 * `getField(fields, 'company.name')`). A line that is not JSON, not an object, not UTF-8 or over
 * `limits.maxRecordBytes` becomes a `{ bad }` item with its line number, and reading goes on; an
 * over-long line is skipped as it streams, never held whole. Errors of `input` itself (a corrupt
 * gzip stream, an I/O error) are passed on.
 */
export async function* readNdjson(input: Readable, options: NdjsonReadOptions): AsyncGenerator<ReadItem> {
  const { origin, limits } = options;
  let index = 0;
  for await (const lines of splitLines(input, limits.maxRecordBytes)) {
    const items: ReadItem[] = [];
    for (const line of lines) {
      if (line.text !== undefined && line.text.trim() === '') continue;
      items.push(toItem(line, { origin, line: line.line, offset: line.offset, index: index++ }, limits));
    }
    yield* items;
  }
}

function toItem(line: TextLine, position: RecordPosition, limits: ReadLimits): ReadItem {
  const { text } = line;
  if (text === undefined) {
    const reason = `record is ${formatByteSize(line.bytes)}, over the ${formatByteSize(limits.maxRecordBytes)} limit`;
    return { bad: { position, reason, raw: truncateRaw(line.skipped?.head ?? '') } };
  }
  if (line.invalidUtf8 !== undefined) {
    const { at, byte } = line.invalidUtf8;
    const reason = `invalid UTF-8 at byte ${at + 1} of the line (0x${byte.toString(16).padStart(2, '0')}); re-export the file as UTF-8`;
    return { bad: { position, reason, raw: truncateRaw(text) } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const { message, column } = describeJsonError(text, error);
    return { bad: { position, reason: `invalid JSON at column ${column}: ${message}`, raw: truncateRaw(text) } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const reason = `line holds ${describeJsonKind(value)}, not a JSON object; write one object per line`;
    return { bad: { position, reason, raw: truncateRaw(text) } };
  }
  return { record: { fields: value as Record<string, unknown>, position, bytes: line.bytes } };
}
