/** What kind of file failure it is; callers print it before the message (`FILE_GZIP leads.csv.gz is ...`). */
export type FileReadErrorCode =
  /** The file cannot be opened: missing, a directory, not readable. */
  | 'FILE_OPEN'
  /** Reading failed part-way (I/O error). */
  | 'FILE_READ'
  /** The file is (or was declared) gzip but does not decompress. */
  | 'FILE_GZIP'
  /** The file is larger than a whole-document reader accepts. */
  | 'FILE_TOO_LARGE'
  /** A whole-document JSON file does not parse. */
  | 'FILE_JSON_SYNTAX'
  /** A JSON file parses but is neither an array of objects nor an object with a `records` array. */
  | 'FILE_JSON_SHAPE'
  /** A CSV file's header row cannot be used, so no record of the file can be named. */
  | 'FILE_CSV_HEADER'
  /** A quoted field is never closed and runs to the end of the file. */
  | 'FILE_CSV_QUOTE';

/**
 * A file that cannot be read at all, as opposed to a bad record inside it (those become `{ bad }`
 * items and reading goes on). Readers throw this only when going on would read nothing, or would
 * read something the user did not write: a run must fail rather than mistake the file for empty.
 */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
  constructor(
    readonly code: FileReadErrorCode,
    message: string,
    options?: {
      /** 1-based line of the problem, when the file is text and the line is known. */
      line?: number;
      /** 1-based column of the problem, when known. */
      column?: number;
      cause?: unknown;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.line = options?.line;
    this.column = options?.column;
  }

  /** 1-based line of the problem, when known. */
  readonly line: number | undefined;
  /** 1-based column of the problem, when known. */
  readonly column: number | undefined;
}
