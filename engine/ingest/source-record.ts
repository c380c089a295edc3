/**
 * What every source reader yields, whatever the transport (file, Marketo, Salesforce, HTTP,
 * PostgreSQL): records as flat field maps, or bad records with a reason. Readers never throw for
 * bad input; they throw only when the source itself cannot be read (file missing, API down).
 */

/** Where a record came from, precise enough for a user to find it. */
export interface RecordPosition {
  /** File path (relative to the source's baseDir) or API object (`leads`, `Contact`). */
  origin: string;
  /** 1-based line of the record's first line, for text formats. */
  line?: number;
  /** Byte offset of the record's start in the (decompressed) file, for text formats. */
  offset?: number;
  /** 0-based index of the record in its origin. */
  index: number;
}

/** A readable record: field name -> value as the source gave it (strings for CSV; JSON values otherwise). */
export interface SourceRecord {
  fields: Record<string, unknown>;
  position: RecordPosition;
  /** Size of the raw record in bytes (for the size guardrail). */
  bytes: number;
}

/** A record that could not be read, kept (truncated) with the reason, for the quarantine. */
export interface BadRecord {
  position: RecordPosition;
  /** The field at fault, when one is. */
  field?: string;
  /** What is wrong, in words a user can act on: "unterminated quoted field", "NUL byte in field Email". */
  reason: string;
  /** The raw text, truncated to 2 KiB. */
  raw?: string;
}

export type ReadItem = { record: SourceRecord } | { bad: BadRecord };

/** Limits every reader enforces. */
export interface ReadLimits {
  /** Largest accepted record, in bytes; larger ones become bad records. */
  maxRecordBytes: number;
}
