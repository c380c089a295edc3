import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getField } from '../../../engine/ingest/readers/flatten-fields';
import { readNdjson } from '../../../engine/ingest/readers/read-ndjson';
import { badOf, collect, fixture, LIMITS, recordsOf, streamOf, summarize } from './reader-test-kit';

/** The real Salesforce contacts, one per line, as an NDJSON export of them would be. */
const CONTACTS: Record<string, unknown>[] = JSON.parse(readFileSync(fixture('Contact.json'), 'utf8')).records;

async function readText(text: string | Buffer, maxRecordBytes = LIMITS.maxRecordBytes, chunkBytes?: number) {
  return collect(readNdjson(streamOf(text, chunkBytes), { origin: 'contacts.ndjson', limits: { maxRecordBytes } }));
}

describe('readNdjson', () => {
  it('reads one object per line, CRLF or LF, skipping blank lines, with nested objects kept', async () => {
    const lines = CONTACTS.map((contact) => JSON.stringify(contact));
    const text = `${lines.slice(0, 5).join('\r\n')}\r\n\r\n   \n${lines.slice(5).join('\n')}`;
    const items = await readText(text, LIMITS.maxRecordBytes, 100);
    const records = recordsOf(items);
    expect(badOf(items)).toEqual([]);
    expect(records.map((record) => record.fields)).toEqual(CONTACTS);
    expect(records.map((record) => record.position.line)).toEqual([1, 2, 3, 4, 5, 8, 9, 10, 11, 12]);
    expect(records.map((record) => record.position.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(records[1]!.position.offset).toBe(Buffer.byteLength(lines[0]!) + 2);
    expect(records[0]!.bytes).toBe(Buffer.byteLength(lines[0]!));
    expect(getField(records[0]!.fields, 'attributes.referenceId')).toBe('ref0030S00000DL1xgQAD');
    expect(records[0]!.fields.MailingStreet).toBe('313 Constitution Place\nAustin, TX 78767\nUSA');
  });

  it('reports each bad line with the parser reason and its line, and reads the lines after it', async () => {
    const text = ['{"id":1}', '{"id":}', '{"id":2', '[{"id":3}]', '42', 'null', "{'id':4}", '{"id":5}'].join('\n');
    expect(summarize(await readText(text))).toEqual([
      '1: {"id":1}',
      "2: BAD invalid JSON at column 7: Unexpected token '}'",
      "3: BAD invalid JSON at column 8: Expected ',' or '}' after property value",
      '4: BAD line holds an array, not a JSON object; write one object per line',
      '5: BAD line holds a number, not a JSON object; write one object per line',
      '6: BAD line holds null, not a JSON object; write one object per line',
      "7: BAD invalid JSON at column 2: Expected property name or '}'",
      '8: {"id":5}',
    ]);
  });

  it('keeps the text of a bad line for the quarantine', async () => {
    const [item] = await readText('{"email": "a@b.co",}\n');
    expect(item).toEqual({
      bad: {
        position: { origin: 'contacts.ndjson', line: 1, offset: 0, index: 0 },
        reason: 'invalid JSON at column 20: Expected double-quoted property name',
        raw: '{"email": "a@b.co",}',
      },
    });
  });

  it('skips a line over the limit as it streams, and reads the next one on its line', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(3 * 1024 * 1024) });
    const items = await readText(`{"id":1}\n${big}\n{"id":2}\n`, 1024 * 1024, 64 * 1024);
    expect(summarize(items)).toEqual([
      '1: {"id":1}',
      '2: BAD record is 3.0 MiB, over the 1.0 MiB limit',
      '3: {"id":2}',
    ]);
    expect(badOf(items)[0]!.raw).toHaveLength(2048);
  });

  it('reports a line that is not UTF-8', async () => {
    const text = Buffer.concat([Buffer.from('{"name":"Jos'), Buffer.from([0xe9]), Buffer.from('"}\n{"name":"Zoë"}\n')]);
    expect(summarize(await readText(text))).toEqual([
      '1: BAD invalid UTF-8 at byte 13 of the line (0xe9); re-export the file as UTF-8',
      '2: {"name":"Zoë"}',
    ]);
  });
});
