const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** One value in COPY's text format: backslash escapes, `\N` for null. */
export function copyField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (!NEEDS_ESCAPE.test(value)) return value; // the common case: nothing to escape
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** One COPY text-format line from its values. */
export function copyLine(values: readonly (string | null | undefined)[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}
