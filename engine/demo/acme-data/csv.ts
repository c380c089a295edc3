/** A cell value; null is written as each vendor writes nulls (empty in Salesforce, `null` in Marketo). */
type Cell = string | number | boolean | null;
/** One CSV record keyed by column name; every column of the header must be present. */
export type Row = Record<string, Cell>;

/** A file ready to write: path relative to the output directory, full text, and record count. */
export interface OutputFile {
  path: string;
  content: string;
  records: number;
}

/** Cells of `row` in header order; a missing column is a generator bug, not a null. */
function cellsOf(header: readonly string[], row: Row): Cell[] {
  return header.map((column) => {
    if (!(column in row)) throw new Error(`row has no value for column ${column}`);
    return row[column] ?? null;
  });
}

/** Salesforce Data Export dialect: every field quoted, null as empty, CRLF after every line. */
export function salesforceCsv(filePath: string, header: readonly string[], rows: readonly Row[]): OutputFile {
  const quote = (cell: Cell) => `"${(cell === null ? '' : String(cell)).replace(/"/g, '""')}"`;
  const lines = [header, ...rows.map((row) => cellsOf(header, row))].map((cells) => cells.map(quote).join(','));
  return { path: filePath, content: `${lines.join('\r\n')}\r\n`, records: rows.length };
}

/** Marketo bulk extract dialect: null as the literal `null`, quotes only where needed, LF line ends. */
export function marketoCsv(filePath: string, header: readonly string[], rows: readonly Row[]): OutputFile {
  const text = (cell: Cell) => {
    const value = cell === null ? 'null' : String(cell);
    return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  };
  const lines = [header.join(','), ...rows.map((row) => cellsOf(header, row).map(text).join(','))];
  return { path: filePath, content: `${lines.join('\n')}\n`, records: rows.length };
}
