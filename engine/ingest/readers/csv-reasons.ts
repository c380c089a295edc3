import { formatByteSize } from './format-byte-size';
import type { CsvSyntaxError } from './parse-csv-line';

/** How to write a quote in CSV, appended to every quoting reason since it is the usual fix. */
const QUOTING_ADVICE = 'double a quote inside a quoted field ("")';

/**
 * The reason for a quoting mistake in field `name`. `line` is given when the mistake is on a later
 * line than the record's first, which the bad record's position names already.
 */
export function describeCsvSyntaxError(error: CsvSyntaxError, name: string, line: number | undefined): string {
  const where = line === undefined ? `column ${error.column}` : `line ${line}, column ${error.column}`;
  if (error.problem === 'stray-quote') {
    return `quote in the middle of unquoted field ${name} at ${where}; put the whole field in quotes and ${QUOTING_ADVICE}`;
  }
  const found = JSON.stringify(error.found);
  return `unexpected ${found} after the closing quote of field ${name} at ${where}; ${QUOTING_ADVICE}`;
}

/** The reason for a quoted field whose opening quote (at `column`, on `line` when not the record's first) is never closed. */
export function unterminatedReason(name: string, column: number, line: number | undefined): string {
  const where = line === undefined ? `column ${column}` : `line ${line}, column ${column}`;
  return `unterminated quoted field ${name} (opened at ${where}); close it with a quote and ${QUOTING_ADVICE}`;
}

/**
 * The reason for a record over the size limit. `neverClosed`: the record ran to the end of the file
 * inside quotes, so its size is most likely a missing closing quote rather than real data.
 */
export function describeTooBig(bytes: number, limit: number, neverClosed: boolean): string {
  const reason = `record is ${formatByteSize(bytes)}, over the ${formatByteSize(limit)} limit`;
  return neverClosed ? `${reason}; a quoted field in it is never closed, so it runs to the end of the file` : reason;
}
