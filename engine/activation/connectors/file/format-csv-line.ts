import type { FieldValue } from '../../connector';

/** Characters a spreadsheet reads as the start of a formula (or that hide one: tab, CR). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV record, RFC 4180: fields separated by commas, quoted when they hold a quote, comma or
 * line break (quotes doubled), CRLF at the end.
 *
 * Formula injection: exports are opened in spreadsheets, and a member's own data (a job title
 * `=HYPERLINK(...)`) would run as a formula there. Text values starting with `=`, `+`, `-`, `@`,
 * tab or CR are therefore prefixed with a single quote (OWASP's advice), which spreadsheets show
 * as text. Programs reading the CSV see the quote, e.g. `'+1 555 0100` for a phone number; they
 * should read the NDJSON format, which is never altered. Numbers and booleans are written as they are.
 */
export function formatCsvLine(values: readonly FieldValue[]): string {
  return `${values.map(formatCsvField).join(',')}\r\n`;
}

function formatCsvField(value: FieldValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
