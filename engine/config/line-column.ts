/** A line and column (1-based) in a file. */
export interface LineColumn {
  line: number;
  column: number;
}
