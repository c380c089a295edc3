import type { Readable } from 'node:stream';
import type { ReadItem, ReadLimits } from '../source-record';
import { CsvRecordAssembler } from './csv-record-assembler';
import { splitLines } from './split-lines';

/** Options of `readCsv`. */
export interface CsvReadOptions {
  /** The name records are reported under (a path relative to the source's baseDir). */
  origin: string;
  /** Field separator; `,` by default. Any text without quotes or line breaks (`;`, `\t`, `||`). */
  delimiter?: string;
  /** Unquoted text that means "no value", such as Marketo's `null`. Empty unquoted fields are always null. */
  nullValue?: string;
  limits: ReadLimits;
}

/**
 * The records of a CSV file (RFC 4180), streamed. The header row names the fields; each record's
 * fields are strings, or null for an empty unquoted field or the `nullValue` marker (a quoted `""`
 * or `"null"` stays a string: quotes say the text is meant). Accepts LF and CRLF, mixed; strips a
 * UTF-8 BOM; skips blank lines; keeps line breaks inside quoted fields as written.
 *
 * Bad records (wrong field count, quoting mistakes, NUL bytes, invalid UTF-8, over
 * `limits.maxRecordBytes`) become `{ bad }` items and reading goes on with the next record; no more
 * than about `maxRecordBytes` of a record is ever held. Throws `FileReadError` `FILE_CSV_HEADER`
 * when the header row cannot name the columns, and passes on errors of `input` itself (a corrupt
 * gzip stream, an I/O error): then no record of the file can be trusted.
 */
export function readCsv(input: Readable, options: CsvReadOptions): AsyncIterable<ReadItem> {
  const delimiter = options.delimiter ?? ',';
  if (delimiter === '' || /["\r\n]/.test(delimiter)) {
    throw new TypeError(
      `CSV delimiter ${JSON.stringify(delimiter)} is not usable: use text without quotes or line breaks, such as "," or ";"`,
    );
  }
  const dialect = { delimiter, nullValue: options.nullValue };
  return readItems(
    input,
    new CsvRecordAssembler(options.origin, dialect, options.limits.maxRecordBytes),
    options.limits.maxRecordBytes,
  );
}

async function* readItems(
  input: Readable,
  assembler: CsvRecordAssembler,
  maxRecordBytes: number,
): AsyncGenerator<ReadItem> {
  for await (const lines of splitLines(input, maxRecordBytes)) {
    const items: ReadItem[] = [];
    for (const line of lines) assembler.push(line, items);
    yield* items;
  }
  const items: ReadItem[] = [];
  assembler.end(items);
  yield* items;
}
