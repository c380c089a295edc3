import { escapeIdentifier } from 'pg';

/** A field of the destination and the text column holding it. */
export interface FieldColumn {
  field: string;
  column: string;
}

/** Where and how a postgres-table destination writes: the table and its field columns. */
export interface TableLayout {
  /** The table as configured (`marketing.audience_members`), for messages. */
  name: string;
  /** The table for SQL, each part escaped (`"marketing"."audience_members"`). */
  sql: string;
  fieldColumns: FieldColumn[];
}

/** Columns Roster keeps per row besides the fields; a field may not take one of these names. */
export const KEY_COLUMNS: Readonly<Record<string, string>> = {
  segment: 'text',
  person_id: 'bigint',
  subject_type: 'text',
  subject_id: 'bigint',
  updated_at: 'timestamp with time zone',
};

const MAX_IDENTIFIER = 63;

/**
 * The column of a field: snake_case, `.` becoming `_` (`account.name` -> `account_name`,
 * `jobTitle` -> `job_title`). A field whose column is one of Roster's own (`updatedAt` ->
 * `updated_at`) is prefixed with `person_` (`person_updated_at`), the entity it belongs to.
 */
export function fieldColumnName(field: string): string {
  const column = field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replaceAll('.', '_')
    .toLowerCase();
  return column in KEY_COLUMNS ? `person_${column}` : column;
}

/**
 * The layout of `table` for `fields`, or the problems that prevent it (two fields sharing a
 * column, a column name over PostgreSQL's 63 bytes).
 */
export function tableLayout(table: string, fields: readonly string[]): TableLayout | { problems: string[] } {
  const fieldColumns = fields.map((field) => ({ field, column: fieldColumnName(field) }));
  const problems: string[] = [];
  fieldColumns.forEach(({ field, column }, i) => {
    const other = fieldColumns.findIndex((c) => c.column === column);
    if (other < i) problems.push(`fields ${fields[other]} and ${field} would both be written to column ${column}`);
    if (Buffer.byteLength(column) > MAX_IDENTIFIER)
      problems.push(`field ${field}: column ${column} is longer than PostgreSQL's ${MAX_IDENTIFIER} bytes`);
  });
  if (problems.length > 0) return { problems };
  return { name: table, sql: table.split('.').map(escapeIdentifier).join('.'), fieldColumns };
}
