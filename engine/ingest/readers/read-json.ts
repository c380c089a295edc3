import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { exceedsDepth, MAX_RECORD_DEPTH } from '../exceeds-depth';
import type { ReadItem, ReadLimits, RecordPosition } from '../source-record';
import { describeJsonError } from './describe-json-error';
import { describeJsonKind } from './describe-json-kind';
import { FileReadError } from './file-read-error';
import { formatByteSize } from './format-byte-size';
import { truncateRaw } from './truncate-raw';

/** Largest JSON document read whole; larger data belongs in NDJSON, which is streamed. */
export const MAX_JSON_FILE_BYTES = 256 * 1024 ** 2;

/** Options of `readJson`. */
export interface JsonReadOptions {
  /** The name records are reported under (a path relative to the source's baseDir). */
  origin: string;
  limits: ReadLimits;
  /** Largest file accepted, in bytes; `MAX_JSON_FILE_BYTES` (256 MiB) by default. */
  maxFileBytes?: number;
}

/**
 * The records of a whole-file JSON document: an array of objects, or an object with a `records`
 * array (a Salesforce data-tree export, whose records keep their `attributes` object with `type`
 * and `referenceId`). Entries that are not objects, are over `limits.maxRecordBytes` (measured as
 * compact JSON) or hold invalid UTF-8 become `{ bad }` items with their index.
 *
 * Throws `FileReadError` when the file as a whole is bad, since then nothing in it can be read:
 * `FILE_TOO_LARGE` over `maxFileBytes`, `FILE_JSON_SYNTAX` (with line and column),
 * `FILE_JSON_SHAPE` when it is neither shape above.
 */
export async function* readJson(input: Readable, options: JsonReadOptions): AsyncGenerator<ReadItem> {
  const { origin, limits } = options;
  const bytes = await readWhole(input, origin, options.maxFileBytes ?? MAX_JSON_FILE_BYTES);
  const entries = entriesOf(parseDocument(bytes.toString('utf8'), origin), origin);
  // Bad bytes decode to U+FFFD; only when the file has some is U+FFFD in a value a sign of them.
  const hasBadBytes = !isUtf8(bytes);
  for (const [index, entry] of entries.entries()) yield toItem(entry, { origin, index }, limits, hasBadBytes);
}

async function readWhole(input: Readable, origin: string, maxFileBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += buffer.length;
    if (total > maxFileBytes) {
      const limit = formatByteSize(maxFileBytes);
      const advice = 'export it as NDJSON (one object per line), which is read as a stream';
      throw new FileReadError(
        'FILE_TOO_LARGE',
        `${origin} is over ${limit}, the largest JSON document read whole; ${advice}`,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, total);
}

function parseDocument(text: string, origin: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    const { message, line, column } = describeJsonError(body, error);
    const where = `${origin}:${line}:${column}`;
    throw new FileReadError('FILE_JSON_SYNTAX', `${where}: invalid JSON: ${message}; fix the file or export it again`, {
      line,
      column,
      cause: error,
    });
  }
}

function entriesOf(document: unknown, origin: string): unknown[] {
  if (Array.isArray(document)) return document;
  const records =
    typeof document === 'object' && document !== null ? (document as { records?: unknown }).records : undefined;
  if (Array.isArray(records)) return records;
  const found =
    typeof document === 'object' && document !== null
      ? 'an object without a "records" array'
      : describeJsonKind(document);
  const expected = 'an array of objects, or an object with a "records" array (a Salesforce data-tree export)';
  throw new FileReadError('FILE_JSON_SHAPE', `${origin} holds ${found}; a JSON source must hold ${expected}`);
}

function toItem(entry: unknown, position: RecordPosition, limits: ReadLimits, hasBadBytes: boolean): ReadItem {
  // Measured before anything recursive touches it: JSON.stringify overflows the stack on a record nested 100,000 deep.
  if (exceedsDepth(entry)) {
    const reason = `entry ${position.index} nests objects or arrays more than ${MAX_RECORD_DEPTH} levels deep; flatten it before loading`;
    return { bad: { position, reason } };
  }
  const json = JSON.stringify(entry) ?? String(entry);
  const raw = truncateRaw(json);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return {
      bad: { position, reason: `entry ${position.index} is ${describeJsonKind(entry)}, not a JSON object`, raw },
    };
  }
  const bytes = Buffer.byteLength(json);
  if (bytes > limits.maxRecordBytes) {
    const reason = `record is ${formatByteSize(bytes)}, over the ${formatByteSize(limits.maxRecordBytes)} limit`;
    return { bad: { position, reason, raw } };
  }
  const badField = hasBadBytes ? findReplacementChar(entry as Record<string, unknown>, '') : undefined;
  if (badField !== undefined) {
    return {
      bad: {
        position,
        field: badField,
        reason: `invalid UTF-8 in field ${badField}; re-export the file as UTF-8`,
        raw,
      },
    };
  }
  return { record: { fields: entry as Record<string, unknown>, position, bytes } };
}

/** Dotted path of the first string value (or key) holding U+FFFD, the decoder's mark for a bad byte. */
function findReplacementChar(value: Record<string, unknown>, prefix: string): string | undefined {
  for (const [key, inner] of Object.entries(value)) {
    const path = prefix + key;
    if (key.includes('\uFFFD') || (typeof inner === 'string' && inner.includes('\uFFFD'))) return path;
    if (typeof inner === 'object' && inner !== null) {
      const found = findReplacementChar(inner as Record<string, unknown>, `${path}.`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
