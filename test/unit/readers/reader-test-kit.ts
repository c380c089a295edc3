import path from 'node:path';
import { Readable } from 'node:stream';
import type { BadRecord, ReadItem, SourceRecord } from '../../../engine/ingest/source-record';

/** Path of a file in `test/fixtures/readers`. */
export function fixture(name: string): string {
  return path.join(__dirname, '..', '..', 'fixtures', 'readers', name);
}

/** A stream of `content`, cut into chunks of `chunkBytes` to exercise records that span chunks. */
export function streamOf(content: string | Buffer, chunkBytes = 64 * 1024): Readable {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  return Readable.from(chunks);
}

/** Every item of `items`, in order. */
export async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const all: ReadItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}

export function recordsOf(items: readonly ReadItem[]): SourceRecord[] {
  return items.flatMap((item) => ('record' in item ? [item.record] : []));
}

export function badOf(items: readonly ReadItem[]): BadRecord[] {
  return items.flatMap((item) => ('bad' in item ? [item.bad] : []));
}

/** Each item as `line: reason` or `line: fields`, for compact assertions on order and lines. */
export function summarize(items: readonly ReadItem[]): string[] {
  return items.map((item) =>
    'record' in item
      ? `${item.record.position.line}: ${JSON.stringify(item.record.fields)}`
      : `${item.bad.position.line}: BAD ${item.bad.reason}`,
  );
}

/** The reading limit the tests use unless a test is about the limit. */
export const LIMITS = { maxRecordBytes: 1024 * 1024 };
