import { checkRecordShape } from './check-record-shape';
import { truncateRaw } from './readers/truncate-raw';
import type { BadRecord, ReadItem } from './source-record';

/**
 * The push path's check of one pushed value, before any mapping: a JSON object, of a shape that can
 * be stored (`checkRecordShape`: depth, NUL, unpaired surrogates), within `maxRecordBytes` as JSON.
 * A value that fails becomes a bad record with its index (the origin is `request`), so it is
 * quarantined and answered per record while the rest of the batch goes on. The shape is checked
 * before anything serialises the value: a record nested 100,000 deep must not reach a recursive
 * `JSON.stringify`.
 */
export function checkPushedRecord(value: unknown, index: number, maxRecordBytes: number): ReadItem {
  const position = { origin: 'request', index };
  const bad = (reason: string, extra: Partial<BadRecord> = {}): ReadItem => ({
    bad: { position, reason, ...extra },
  });
  if (Array.isArray(value)) return bad('the record is an array, not a JSON object'); // no raw: it may nest without end
  if (typeof value !== 'object' || value === null)
    return bad(`the record is ${describeJson(value)}, not a JSON object`, {
      raw: truncateRaw(JSON.stringify(value) ?? ''),
    });
  const problem = checkRecordShape(value);
  // No raw for these: the walk stops at the first problem, so a record reported for a NUL may still
  // nest too deep somewhere else for JSON.stringify.
  if (problem) return bad(problem.reason, { field: problem.field });
  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text);
  if (bytes > maxRecordBytes)
    return bad(
      `the record is ${bytes} bytes as JSON, over the source's ${maxRecordBytes}-byte limit (badRecords.maxRecordBytes)`,
      {
        raw: truncateRaw(text),
      },
    );
  return { record: { fields: value as Record<string, unknown>, position, bytes } };
}

function describeJson(value: unknown): string {
  return value === null ? 'null' : `a ${typeof value}`;
}
