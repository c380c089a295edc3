import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const UNESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * One row of COPY's text format, read in place from the bytes PostgreSQL sent: a field becomes a
 * string or numbers only when asked (millions of rows, most of whose fields are never needed).
 * Valid only during the `onRow` call that receives it.
 */
export class CopyRow {
  buffer: Buffer = Buffer.alloc(0);
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  /** Field `i` as text (COPY's backslash escapes undone); null for `\N`. */
  text(i: number): string | null {
    const start = this.starts[i]!;
    const end = this.ends[i]!;
    if (end - start === 2 && this.buffer[start] === BACKSLASH && this.buffer[start + 1] === 0x4e) return null;
    const raw = this.buffer.toString('utf8', start, end);
    for (let k = start; k < end; k++)
      if (this.buffer[k] === BACKSLASH) return raw.replace(/\\(.)/g, (_, c: string) => UNESCAPED[c] ?? c);
    return raw;
  }

  /** Field `i` as a non-negative integer. */
  int(i: number): number {
    let value = 0;
    for (let k = this.starts[i]!; k < this.ends[i]!; k++) value = value * 10 + this.buffer[k]! - 48;
    return value;
  }

  /** Field `i` as the non-negative integers it lists (an `int[]` as `{1,2,3}`, or separated by spaces), into `into`. */
  ints(i: number, into: number[]): number[] {
    into.length = 0;
    let value = -1;
    for (let k = this.starts[i]!; k < this.ends[i]!; k++) {
      const digit = this.buffer[k]! - 48;
      if (digit >= 0 && digit <= 9) value = (value < 0 ? 0 : value * 10) + digit;
      else if (value >= 0) {
        into.push(value);
        value = -1;
      }
    }
    if (value >= 0) into.push(value);
    return into;
  }

  /** Points the row at `buffer[start, end)` (one line without its newline). */
  read(buffer: Buffer, start: number, end: number): void {
    this.buffer = buffer;
    this.starts.length = 0;
    this.ends.length = 0;
    let from = start;
    for (let k = start; k < end; k++) {
      if (buffer[k] !== TAB) continue;
      this.starts.push(from);
      this.ends.push(k);
      from = k + 1;
    }
    this.starts.push(from);
    this.ends.push(end);
  }
}

/** Runs `copy (query) to stdout` and calls `onRow` for each row, in the order PostgreSQL sends them. */
export async function copyOutRows(client: PoolClient, query: string, onRow: (row: CopyRow) => void): Promise<void> {
  const stream = client.query(copyTo(`copy (${query}) to stdout`));
  const row = new CopyRow();
  let rest: Buffer | undefined;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end >= 0; end = buffer.indexOf(NEWLINE, start)) {
      row.read(buffer, start, end);
      onRow(row);
      start = end + 1;
    }
    rest = start < buffer.length ? buffer.subarray(start) : undefined;
  }
}
