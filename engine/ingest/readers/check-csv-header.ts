import { FileReadError } from './file-read-error';
import type { TextLine } from './text-line';

/**
 * The column names of a CSV file, from its first record. Every record is named by the header, so
 * a header that cannot name every column exactly once makes the whole file unreadable: it throws
 * `FILE_CSV_HEADER` rather than yield records under wrong or missing names.
 */
export function checkCsvHeader(
  values: readonly (string | null)[],
  lines: readonly TextLine[],
  origin: string,
): string[] {
  const first = lines[0]!;
  const badLine = lines.find((line) => line.invalidUtf8 !== undefined);
  if (badLine !== undefined) {
    const byte = badLine.invalidUtf8!.byte.toString(16).padStart(2, '0');
    throw csvHeaderError(origin, badLine.line, `is not valid UTF-8 (byte 0x${byte}); re-export the file as UTF-8`);
  }
  const names: string[] = [];
  const seen = new Map<string, number>();
  for (const [i, value] of values.entries()) {
    if (value === null || value.trim() === '') {
      throw csvHeaderError(origin, first.line, `has no name for column ${i + 1}; name every column in the first row`);
    }
    if (value.includes('\0')) {
      const hint = 'the file is probably UTF-16: re-export it as UTF-8';
      throw csvHeaderError(origin, first.line, `holds a NUL byte in column ${i + 1}; ${hint}`);
    }
    const earlier = seen.get(value);
    if (earlier !== undefined) {
      const where = `columns ${earlier + 1} and ${i + 1}`;
      throw csvHeaderError(origin, first.line, `names "${value}" twice (${where}); give each column its own name`);
    }
    seen.set(value, i);
    names.push(value);
  }
  return names;
}

/** The error for a header row that cannot be used; `problem` completes "the header row ...". */
export function csvHeaderError(origin: string, line: number, problem: string): FileReadError {
  return new FileReadError('FILE_CSV_HEADER', `${origin}:${line}: the header row ${problem}`, { line });
}
