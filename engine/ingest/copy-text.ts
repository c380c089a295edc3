/** One value in COPY's text format: backslash escapes, `\N` for null. */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** One COPY text-format line from its values. */
export function copyLine(values: readonly (string | null | undefined)[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}
