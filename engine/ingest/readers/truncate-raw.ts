/** Longest raw text kept with a bad record, in bytes (the quarantine's limit). */
export const RAW_LIMIT = 2048;

/** `text` cut to at most 2 KiB of UTF-8, for `BadRecord.raw`; a character split at the cut becomes U+FFFD. */
export function truncateRaw(text: string): string {
  // Cheap exit first: a string of n UTF-16 units is at most 3n bytes.
  if (text.length * 3 <= RAW_LIMIT) return text;
  const buffer = Buffer.from(text.slice(0, RAW_LIMIT));
  return buffer.length <= RAW_LIMIT ? buffer.toString('utf8') : buffer.subarray(0, RAW_LIMIT).toString('utf8');
}
