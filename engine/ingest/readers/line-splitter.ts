import type { TextLine } from './text-line';
import { RAW_LIMIT } from './truncate-raw';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

type DecodeLine = (buf: Buffer, start: number, end: number) => Pick<TextLine, 'text' | 'invalidUtf8'>;

/**
 * Cuts a byte stream into lines, chunk by chunk. Holds at most one unfinished line, and never more
 * than `maxLineBytes` of it: past that the line is skipped, counting its bytes and quotes only.
 */
export class LineSplitter {
  private line = 1;
  /** File offset of the unfinished line's first byte. */
  private offset = 0;
  private atFileStart = true;
  /** Pieces of the unfinished line, when it started in an earlier chunk. */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Set while skipping an over-long line: what it held so far. */
  private skipping: { quotes: number; head: string; endsWithCr: boolean } | undefined;

  constructor(
    private readonly maxLineBytes: number,
    private readonly decode: DecodeLine,
  ) {}

  /** Adds the lines that `chunk` completes to `out`. */
  push(chunk: Buffer, out: TextLine[]): void {
    let pos = 0;
    for (let lf = chunk.indexOf(LF, pos); lf !== -1; lf = chunk.indexOf(LF, pos)) {
      if (this.carryBytes === 0 && this.skipping === undefined) this.emit(chunk, pos, lf, out);
      else this.finishHeld(chunk.subarray(pos, lf), out);
      pos = lf + 1;
    }
    if (pos < chunk.length) this.hold(chunk.subarray(pos));
  }

  /** Adds the last line, when the file does not end with a line break. */
  end(out: TextLine[]): void {
    if (this.skipping !== undefined || this.carryBytes > 0) this.finishHeld(Buffer.alloc(0), out);
  }

  private emit(buf: Buffer, start: number, end: number, out: TextLine[]): void {
    let textStart = start;
    if (this.atFileStart) {
      this.atFileStart = false;
      // A UTF-8 BOM is an encoding mark, not data: it must not stick to the first column's name.
      if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) textStart += 3;
      this.offset += textStart - start;
    }
    const crlf = end > textStart && buf[end - 1] === CR;
    const textEnd = crlf ? end - 1 : end;
    const bytes = textEnd - textStart;
    if (bytes > this.maxLineBytes) {
      const skipped = { quotes: countQuotes(buf, textStart, textEnd), head: headOf(buf, textStart, textEnd) };
      out.push(this.lineOf({ text: undefined, invalidUtf8: undefined }, bytes, crlf, skipped));
    } else {
      out.push(this.lineOf(this.decode(buf, textStart, textEnd), bytes, crlf, undefined));
    }
    this.advance(end - textStart + 1);
  }

  /** Ends the held line (carried or skipped) with `piece`, the bytes before its LF. */
  private finishHeld(piece: Buffer, out: TextLine[]): void {
    const skipping = this.skipping;
    if (skipping === undefined) {
      const whole = Buffer.concat([...this.carry, piece]);
      this.carry = [];
      this.carryBytes = 0;
      this.emit(whole, 0, whole.length, out);
      return;
    }
    const crlf = piece.length > 0 ? piece[piece.length - 1] === CR : skipping.endsWithCr;
    const total = this.carryBytes + piece.length;
    const bytes = crlf ? total - 1 : total;
    skipping.quotes += countQuotes(piece, 0, piece.length);
    out.push(this.lineOf({ text: undefined, invalidUtf8: undefined }, bytes, crlf, skipping));
    this.skipping = undefined;
    this.carryBytes = 0;
    this.atFileStart = false;
    this.advance(total + 1);
  }

  /** Keeps `rest`, the start of a line that goes on in the next chunk, or starts skipping it. */
  private hold(rest: Buffer): void {
    if (this.skipping !== undefined) {
      this.skipping.quotes += countQuotes(rest, 0, rest.length);
      this.skipping.endsWithCr = rest[rest.length - 1] === CR;
    } else if (this.carryBytes + rest.length > this.maxLineBytes + 1) {
      // +1: a CR that turns out to be the line's terminator does not count against the limit.
      const held = Buffer.concat([...this.carry, rest.subarray(0, RAW_LIMIT)]);
      const carried = this.carry.reduce((sum, piece) => sum + countQuotes(piece, 0, piece.length), 0);
      this.skipping = {
        quotes: carried + countQuotes(rest, 0, rest.length),
        head: headOf(held, 0, held.length),
        endsWithCr: rest[rest.length - 1] === CR,
      };
      this.carry = [];
    } else {
      this.carry.push(rest);
    }
    this.carryBytes += rest.length;
  }

  private lineOf(
    decoded: Pick<TextLine, 'text' | 'invalidUtf8'>,
    bytes: number,
    crlf: boolean,
    skipped: TextLine['skipped'],
  ): TextLine {
    const { text, invalidUtf8 } = decoded;
    return { text, line: this.line, offset: this.offset, bytes, crlf, invalidUtf8, skipped };
  }

  private advance(lineBytesWithLf: number): void {
    this.line += 1;
    this.offset += lineBytesWithLf;
  }
}

function countQuotes(buf: Buffer, start: number, end: number): number {
  let count = 0;
  for (let at = buf.indexOf(QUOTE, start); at !== -1 && at < end; at = buf.indexOf(QUOTE, at + 1)) count += 1;
  return count;
}

function headOf(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, Math.min(end, start + RAW_LIMIT));
}
