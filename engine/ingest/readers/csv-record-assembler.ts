import type { ReadItem, RecordPosition } from '../source-record';
import { checkCsvHeader, csvHeaderError } from './check-csv-header';
import { describeCsvSyntaxError, describeTooBig, unterminatedReason } from './csv-reasons';
import { FileReadError } from './file-read-error';
import { type CsvDialect, type CsvDraft, type CsvSyntaxError, newDraft, parseCsvLine } from './parse-csv-line';
import type { TextLine } from './text-line';
import { truncateRaw } from './truncate-raw';

/** An over-limit record being skipped: where it began, and whether the skip is inside quotes. */
interface SkipState {
  first: TextLine;
  last: TextLine;
  inQuotes: boolean;
  head: string;
}

/**
 * Turns the lines of a CSV file into read items: the first record is the header, each later one a
 * record or a bad record. Holds one record at most, and no more than `maxRecordBytes` of it.
 *
 * Recovery: a record with a quoting mistake ends at the end of the line where the mistake shows.
 * When the mistake follows a quoted field that ran over several lines, the likelier story is that
 * the field's opening quote was never closed and swallowed the lines after it; those lines are read
 * again as records of their own, so one missing quote costs one record, not the rest of the file.
 */
export class CsvRecordAssembler {
  private header: string[] | undefined;
  private readonly headerDialect: CsvDialect;
  private draft: CsvDraft | undefined;
  private lines: TextLine[] = [];
  private skip: SkipState | undefined;
  private index = 0;

  constructor(
    private readonly origin: string,
    private readonly dialect: CsvDialect,
    private readonly maxRecordBytes: number,
  ) {
    // Column names are never null, even when one is spelled like the null marker.
    this.headerDialect = { delimiter: dialect.delimiter, nullValue: undefined };
  }

  /** Reads `line`, adding the items it finishes to `out`. */
  push(line: TextLine, out: ReadItem[]): void {
    if (this.draft === undefined && this.skip === undefined && this.readSimpleLine(line, out)) return;
    this.drain([line], out);
  }

  /** Finishes the file: a record still open here lacks its closing quote, or is being skipped. */
  end(out: ReadItem[]): void {
    for (;;) {
      if (this.skip !== undefined) {
        this.finishSkip(out, true);
        return;
      }
      const draft = this.draft;
      if (draft === undefined) return;
      this.drain(this.failUnterminated(draft, draft.values.length, out), out);
    }
  }

  /** The fast path: a one-line record with no quotes, NUL bytes or bad UTF-8. False when it does not apply. */
  private readSimpleLine(line: TextLine, out: ReadItem[]): boolean {
    const { text } = line;
    const header = this.header;
    if (header === undefined || text === undefined || line.invalidUtf8 !== undefined) return false;
    if (text.indexOf('"') !== -1 || text.indexOf('\0') !== -1) return false;
    if (text === '') return true; // a blank line between records holds nothing to read
    const values = text.split(this.dialect.delimiter);
    if (values.length !== header.length) {
      out.push(this.bad(`has ${plural(values.length, 'field')}, the header has ${header.length}`, [line]));
      return true;
    }
    const nullValue = this.dialect.nullValue;
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      fields[header[i]!] = value === '' || value === nullValue ? null : value;
    }
    out.push({ record: { fields, position: this.positionOf(line), bytes: line.bytes } });
    return true;
  }

  /** Reads `work` in order; lines handed back for a second reading go first. */
  private drain(work: TextLine[], out: ReadItem[]): void {
    let queue = work;
    let next = 0;
    while (next < queue.length) {
      const reread = this.readLine(queue[next++]!, out);
      if (reread !== undefined && reread.length > 0) {
        queue = [...reread, ...queue.slice(next)];
        next = 0;
      }
    }
  }

  /** Reads one line of a record; returns lines to read again after a missing closing quote. */
  private readLine(line: TextLine, out: ReadItem[]): TextLine[] | undefined {
    if (this.skip !== undefined) return this.continueSkip(line, out);
    if (line.text === undefined) return this.startSkip(line, out);
    if (this.draft === undefined) {
      if (line.text === '') return undefined;
      this.draft = newDraft();
      this.lines = [];
    }
    const draft = this.draft;
    this.lines.push(line);
    const outcome = parseCsvLine(line.text, line.line, draft, this.header ? this.dialect : this.headerDialect);
    if (line.offset + line.bytes - this.lines[0]!.offset > this.maxRecordBytes) {
      // Too big already: stop gathering, and skip to the record's end if a quoted field goes on.
      this.skip = { first: this.lines[0]!, last: line, inQuotes: outcome === 'open', head: rawOf(this.lines) };
      this.resetDraft();
      return this.skip.inQuotes ? undefined : this.finishSkip(out, false);
    }
    if (outcome === 'open') {
      draft.open += line.crlf ? '\r\n' : '\n';
      return undefined;
    }
    if (outcome === 'complete') return this.complete(draft, out);
    return this.failSyntax(draft, outcome, line, out);
  }

  private complete(draft: CsvDraft, out: ReadItem[]): undefined {
    const lines = this.lines;
    this.resetDraft();
    if (this.header === undefined) {
      this.header = checkCsvHeader(draft.values, lines, this.origin);
      return undefined;
    }
    out.push(this.toItem(draft.values, lines));
    return undefined;
  }

  /** A record, or the bad record it is: wrong field count, bad UTF-8, NUL byte, in that order. */
  private toItem(values: (string | null)[], lines: TextLine[]): ReadItem {
    const header = this.header!;
    if (values.length !== header.length) {
      return this.bad(`has ${plural(values.length, 'field')}, the header has ${header.length}`, lines);
    }
    const badLine = lines.find((line) => line.invalidUtf8 !== undefined);
    if (badLine !== undefined) {
      const at = Math.max(
        0,
        values.findIndex((value) => value?.includes('\uFFFD')),
      );
      const byte = badLine.invalidUtf8!.byte.toString(16).padStart(2, '0');
      return this.bad(`invalid UTF-8 in field ${header[at]} (byte 0x${byte}); re-export the file as UTF-8`, lines, at);
    }
    const nulAt = values.findIndex((value) => value?.includes('\0'));
    if (nulAt !== -1) return this.bad(`NUL byte in field ${header[nulAt]}`, lines, nulAt);
    const fields: Record<string, unknown> = {};
    for (const [i, name] of header.entries()) fields[name] = values[i];
    const first = lines[0]!;
    const last = lines[lines.length - 1]!;
    return { record: { fields, position: this.positionOf(first), bytes: last.offset + last.bytes - first.offset } };
  }

  private failSyntax(draft: CsvDraft, error: CsvSyntaxError, line: TextLine, out: ReadItem[]): TextLine[] | undefined {
    if (error.problem === 'text-after-quote' && draft.openLine < line.line) {
      return this.failUnterminated(draft, error.valueIndex, out);
    }
    const lines = this.lines;
    this.resetDraft();
    const name = this.fieldName(error.valueIndex);
    const reason = describeCsvSyntaxError(error, name, line.line === lines[0]!.line ? undefined : line.line);
    if (this.header === undefined) throw csvHeaderError(this.origin, line.line, `cannot be read: ${reason}`);
    out.push(this.bad(reason, lines, error.valueIndex));
    return undefined;
  }

  /**
   * The record up to the line where the quoted field at `valueIndex` opened becomes bad; the lines
   * after that one are handed back to be read again.
   */
  private failUnterminated(draft: CsvDraft, valueIndex: number, out: ReadItem[]): TextLine[] {
    const lines = this.lines;
    this.resetDraft();
    const opened = lines.findIndex((line) => line.line === draft.openLine);
    const kept = lines.slice(0, opened + 1);
    const openLine = draft.openLine === kept[0]!.line ? undefined : draft.openLine;
    const reason = unterminatedReason(this.fieldName(valueIndex), draft.openColumn, openLine);
    if (this.header === undefined) throw csvHeaderError(this.origin, draft.openLine, `cannot be read: ${reason}`);
    out.push(this.bad(reason, kept, valueIndex));
    return lines.slice(opened + 1);
  }

  /** Starts skipping at `line`, a line over the limit (unread), which may end the record or not. */
  private startSkip(line: TextLine, out: ReadItem[]): TextLine[] | undefined {
    // A draft survives past a line only while a quoted field is open, so the skip starts in quotes.
    const inQuotes = this.draft !== undefined;
    const first = this.lines[0] ?? line;
    const head = this.lines.length > 0 ? rawOf(this.lines) : (line.skipped?.head ?? '');
    this.resetDraft();
    this.skip = { first, last: first, inQuotes, head };
    return this.continueSkip(line, out);
  }

  /** Follows the quotes of a skipped record until a line ends outside them. */
  private continueSkip(line: TextLine, out: ReadItem[]): undefined {
    const skip = this.skip!;
    const quotes = line.text === undefined ? (line.skipped?.quotes ?? 0) : countQuotes(line.text);
    if (quotes % 2 === 1) skip.inQuotes = !skip.inQuotes;
    skip.last = line;
    if (!skip.inQuotes) this.finishSkip(out, false);
    return undefined;
  }

  private finishSkip(out: ReadItem[], atEndOfFile: boolean): undefined {
    const { first, last, inQuotes, head } = this.skip!;
    this.skip = undefined;
    const reason = describeTooBig(
      last.offset + last.bytes - first.offset,
      this.maxRecordBytes,
      atEndOfFile && inQuotes,
    );
    if (this.header === undefined) throw csvHeaderError(this.origin, first.line, reason.replace(/^record /, ''));
    if (atEndOfFile && inQuotes) {
      // Everything after the opening quote was swallowed: reporting one bad record would lose the
      // rest of the file silently, so the whole file is refused instead.
      throw new FileReadError(
        'FILE_CSV_QUOTE',
        `${this.origin}:${first.line}: a quoted field opened here is never closed, so the rest of the file cannot be read; fix the quoting and run again`,
        { line: first.line },
      );
    }
    out.push({ bad: { position: this.positionOf(first), reason, raw: truncateRaw(head) } });
    return undefined;
  }

  private bad(reason: string, lines: TextLine[], valueIndex?: number): ReadItem {
    const field = valueIndex === undefined ? undefined : this.header?.[valueIndex];
    const position = this.positionOf(lines[0]!);
    const raw = truncateRaw(rawOf(lines));
    return { bad: field === undefined ? { position, reason, raw } : { position, field, reason, raw } };
  }

  private positionOf(line: TextLine): RecordPosition {
    return { origin: this.origin, line: line.line, offset: line.offset, index: this.index++ };
  }

  private fieldName(valueIndex: number): string {
    return this.header?.[valueIndex] ?? `column ${valueIndex + 1}`;
  }

  private resetDraft(): void {
    this.draft = undefined;
    this.lines = [];
  }
}

function rawOf(lines: readonly TextLine[]): string {
  return lines.map((line) => line.text ?? line.skipped?.head ?? '').join('\n');
}

function countQuotes(text: string): number {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count += 1;
  return count;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
