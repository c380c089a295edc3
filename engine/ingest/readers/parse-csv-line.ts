const QUOTE = 0x22;

/** How a CSV file is written. */
export interface CsvDialect {
  /** Field separator, `,` by default; may be longer than one character (`||`). */
  delimiter: string;
  /** Unquoted text that means "no value" (Marketo writes `null`); undefined when only empty fields do. */
  nullValue: string | undefined;
}

/** A record being read; it spans lines when a quoted field holds a line break. */
export interface CsvDraft {
  /** Values so far: quoted fields as written, unquoted empty or null-marker fields as null. */
  values: (string | null)[];
  /** Text of the quoted field still open at the end of the last line read; undefined outside quotes. */
  open: string | undefined;
  /** Line and 1-based column of the opening quote of the last quoted field. */
  openLine: number;
  openColumn: number;
}

/** A quoting mistake, with the 1-based column (in the line) where it shows. */
export interface CsvSyntaxError {
  /** `stray-quote`: a quote inside an unquoted field; `text-after-quote`: a closing quote not followed by a delimiter. */
  problem: 'stray-quote' | 'text-after-quote';
  column: number;
  /** Index of the field at fault. */
  valueIndex: number;
  /** The character found where a delimiter or line end was expected. */
  found: string;
}

/** `complete`: the line ended the record; `open`: a quoted field goes on in the next line. */
export type LineOutcome = 'complete' | 'open' | CsvSyntaxError;

/** A draft for a record that starts on the next line read. */
export function newDraft(): CsvDraft {
  return { values: [], open: undefined, openLine: 0, openColumn: 0 };
}

/**
 * Reads the fields of one line into `draft` (RFC 4180: fields in double quotes may hold delimiters,
 * line breaks and doubled quotes). Stops at the first quoting mistake, since what follows it cannot
 * be split into fields with any confidence.
 */
export function parseCsvLine(text: string, line: number, draft: CsvDraft, dialect: CsvDialect): LineOutcome {
  const { delimiter } = dialect;
  let pos = 0;
  // Found once and moved forward only, so a line is scanned for quotes once, not once per field.
  let nextQuote = text.indexOf('"');
  let inQuotes = draft.open !== undefined;
  for (;;) {
    if (inQuotes) {
      if (nextQuote === -1) {
        draft.open += text.slice(pos);
        return 'open';
      }
      draft.open += text.slice(pos, nextQuote);
      if (text.charCodeAt(nextQuote + 1) === QUOTE) {
        draft.open += '"';
        pos = nextQuote + 2;
        nextQuote = text.indexOf('"', pos);
        continue;
      }
      draft.values.push(draft.open as string);
      draft.open = undefined;
      inQuotes = false;
      const after = nextQuote + 1;
      if (after === text.length) return 'complete';
      if (!text.startsWith(delimiter, after)) {
        const found = String.fromCodePoint(text.codePointAt(after)!);
        return { problem: 'text-after-quote', column: after + 1, valueIndex: draft.values.length - 1, found };
      }
      pos = after + delimiter.length;
      nextQuote = text.indexOf('"', pos);
    }
    if (pos === nextQuote) {
      inQuotes = true;
      draft.open = '';
      draft.openLine = line;
      draft.openColumn = pos + 1;
      pos += 1;
      nextQuote = text.indexOf('"', pos);
      continue;
    }
    const end = text.indexOf(delimiter, pos);
    const fieldEnd = end === -1 ? text.length : end;
    if (nextQuote !== -1 && nextQuote < fieldEnd) {
      return { problem: 'stray-quote', column: nextQuote + 1, valueIndex: draft.values.length, found: '"' };
    }
    draft.values.push(toValue(text.slice(pos, fieldEnd), dialect.nullValue));
    if (end === -1) return 'complete';
    pos = end + delimiter.length;
  }
}

/** An unquoted field's value: empty text and the null marker mean "no value". */
export function toValue(raw: string, nullValue: string | undefined): string | null {
  return raw === '' || raw === nullValue ? null : raw;
}
