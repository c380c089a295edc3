/** Checked indexing: an out-of-range index is a generator bug, so fail loudly instead of yielding undefined. */
export function at<T>(items: readonly T[], index: number): T {
  if (index < 0 || index >= items.length) throw new Error(`index ${index} out of range (${items.length})`);
  return items[index] as T;
}

/** Splits a comma-separated word list written over several lines. */
export function words(text: string): string[] {
  return text
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
}

/** Rows of a `|`-separated table written over several lines. */
export function table(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split('|').map((cell) => cell.trim()));
}
