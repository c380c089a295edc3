/** One line of a text file, as the line-based readers (CSV, NDJSON) see it. */
export interface TextLine {
  /** The line without its terminator (LF or CRLF); undefined when the line was over the limit and skipped unread. */
  text: string | undefined;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's start in the (decompressed) file; a leading UTF-8 BOM is before line 1. */
  offset: number;
  /** Length of the line in bytes, without its terminator. */
  bytes: number;
  /** Whether the line ended with CRLF, so a CSV field that spans lines keeps the file's own line break. */
  crlf: boolean;
  /** The first byte that is not UTF-8 (`at` is its offset in the line); undefined when the line is valid. */
  invalidUtf8: { at: number; byte: number } | undefined;
  /** For a line over the limit: how many `"` bytes it held (CSV uses it to find the end of a skipped record) and its first 2 KiB. */
  skipped: { quotes: number; head: string } | undefined;
}
