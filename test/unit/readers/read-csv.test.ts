import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openFile } from '../../../engine/ingest/readers/open-file';
import { readCsv } from '../../../engine/ingest/readers/read-csv';
import { badOf, collect, fixture, LIMITS, recordsOf, streamOf, summarize } from './reader-test-kit';

const MARKETO = { nullValue: 'null', limits: LIMITS };

async function readText(
  text: string | Buffer,
  options: { delimiter?: string; nullValue?: string } = {},
  chunkBytes?: number,
) {
  return collect(readCsv(streamOf(text, chunkBytes), { origin: 'test.csv', limits: LIMITS, ...options }));
}

describe('readCsv on real Marketo bulk extracts', () => {
  it('reads every lead of lead_extract1.csv with its 129 fields, and the literal null as null', async () => {
    const items = await collect(
      readCsv(await openFile(fixture('lead_extract1.csv')), { origin: 'lead_extract1.csv', ...MARKETO }),
    );
    const records = recordsOf(items);
    expect(badOf(items)).toEqual([]);
    expect(records).toHaveLength(10);
    for (const record of records) expect(Object.keys(record.fields)).toHaveLength(129);
    const first = records[0]!;
    expect(first.fields).toMatchObject({
      id: '102488',
      company: 'TD_TESTING',
      personType: 'contact',
      isLead: 'true',
      originalSourceInfo: 'List: Bill Import Test',
      createdAt: '2017-09-08T16:39:14Z',
      leadPartitionId: '1',
      email: null, // Marketo wrote `null`: these test leads have no email
      marketoTimeZone: null,
    });
    const headerBytes = readFileSync(fixture('lead_extract1.csv'), 'utf8').indexOf('\n') + 1;
    expect(first.position).toEqual({ origin: 'lead_extract1.csv', line: 2, offset: headerBytes, index: 0 });
    // The file has no final line break: the last lead is still read, on line 11.
    expect(records[9]!.position).toMatchObject({ line: 11, index: 9 });
    expect(records.map((record) => record.fields.id)).toEqual([
      '102488',
      '102456',
      '102445',
      '102439',
      '102471',
      '102503',
      '102424',
      '102473',
      '102505',
      '102492',
    ]);
  });

  it('keeps the text null when no null marker is configured', async () => {
    const items = await collect(
      readCsv(await openFile(fixture('lead_extract1.csv')), { origin: 'lead_extract1.csv', limits: LIMITS }),
    );
    expect(recordsOf(items)[0]!.fields.email).toBe('null');
  });

  it('reads the activity attributes column, a JSON document in a quoted field, as a string', async () => {
    const items = await collect(
      readCsv(await openFile(fixture('activity_extract1.csv')), { origin: 'activity_extract1.csv', ...MARKETO }),
    );
    const records = recordsOf(items);
    expect(records).toHaveLength(34);
    expect(Object.keys(records[0]!.fields)).toEqual([
      'marketoGUID',
      'leadId',
      'activityDate',
      'activityTypeId',
      'campaignId',
      'primaryAttributeValueId',
      'primaryAttributeValue',
      'attributes',
    ]);
    const first = records[0]!.fields;
    expect(first).toMatchObject({ marketoGUID: '558681', leadId: '102419', activityTypeId: '12', campaignId: null });
    expect(first.attributes).toBe(
      '{"Source Type":"List import","List Name":"Bill Import Test","Created Date":"2017-09-08"}',
    );
    expect(JSON.parse(first.attributes as string)).toEqual({
      'Source Type': 'List import',
      'List Name': 'Bill Import Test',
      'Created Date': '2017-09-08',
    });
    expect(records[33]!.fields.marketoGUID).toBe('558714');
    expect(records[33]!.position.line).toBe(35);
  });

  it('undoubles the quotes of lead_extract_with_quote_RFC4180.csv', async () => {
    const items = await collect(
      readCsv(await openFile(fixture('lead_extract_with_quote_RFC4180.csv')), { origin: 'q.csv', ...MARKETO }),
    );
    expect(summarize(items)).toEqual(['2: {"firstName":"first\\"Name1","lastName":"lastName1"}']);
  });

  it('reads the same records from a gzip copy, found by its name or by its magic bytes', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { gzipSync } = await import('node:zlib');
    const dir = mkdtempSync(`${tmpdir()}/roster-readers-`);
    const plain = readFileSync(fixture('activity_extract1.csv'));
    writeFileSync(`${dir}/activity.csv.gz`, gzipSync(plain));
    writeFileSync(`${dir}/activity-gzipped.csv`, gzipSync(plain));
    const expected = await collect(
      readCsv(await openFile(fixture('activity_extract1.csv')), { origin: 'a', ...MARKETO }),
    );
    for (const name of ['activity.csv.gz', 'activity-gzipped.csv']) {
      const items = await collect(readCsv(await openFile(`${dir}/${name}`), { origin: 'a', ...MARKETO }));
      expect(items).toEqual(expected);
    }
  });

  it('reads the same fields and lines from a CRLF copy, with offsets that count the CRs', async () => {
    const lf = readFileSync(fixture('activity_extract1.csv'), 'utf8');
    const fromLf = recordsOf(await readText(lf, { nullValue: 'null' }));
    const fromCrlf = recordsOf(await readText(lf.replaceAll('\n', '\r\n'), { nullValue: 'null' }));
    expect(fromCrlf.map((r) => r.fields)).toEqual(fromLf.map((r) => r.fields));
    expect(fromCrlf.map((r) => r.position.line)).toEqual(fromLf.map((r) => r.position.line));
    expect(fromCrlf[1]!.position.offset).toBe(fromLf[1]!.position.offset! + 2);
  });

  it('reads the same items whatever the chunk boundaries, down to one byte per chunk', async () => {
    const text = readFileSync(fixture('activity_extract1.csv'));
    const whole = await readText(text, { nullValue: 'null' });
    for (const chunkBytes of [1, 7, 157])
      expect(await readText(text, { nullValue: 'null' }, chunkBytes)).toEqual(whole);
  });
});

describe('readCsv on RFC 4180 details', () => {
  it('turns empty unquoted fields and the null marker into null, and keeps quoted ones as text', async () => {
    const items = await readText('a,b,c,d\n,"",null,"null"\n', { nullValue: 'null' });
    expect(recordsOf(items)[0]!.fields).toEqual({ a: null, b: '', c: null, d: 'null' });
  });

  it('keeps line breaks inside quoted fields as written and numbers the following records by their first line', async () => {
    const text = 'id,street,city\r\n1,"313 Constitution Place\nAustin, TX\r\nUSA",Austin\n2,"2 ""Main"" St",Boston\r\n';
    const items = await readText(text);
    expect(summarize(items)).toEqual([
      '2: {"id":"1","street":"313 Constitution Place\\nAustin, TX\\r\\nUSA","city":"Austin"}',
      '5: {"id":"2","street":"2 \\"Main\\" St","city":"Boston"}',
    ]);
    const first = recordsOf(items)[0]!;
    expect(first.position.offset).toBe('id,street,city\r\n'.length);
    expect(first.bytes).toBe('1,"313 Constitution Place\nAustin, TX\r\nUSA",Austin'.length);
  });

  it('strips a UTF-8 BOM so that the first column keeps its name, and counts it in offsets', async () => {
    const items = await readText(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email,name\na@b.co,Zoë\n')]),
    );
    expect(recordsOf(items)[0]!.fields).toEqual({ email: 'a@b.co', name: 'Zoë' });
    expect(recordsOf(items)[0]!.position.offset).toBe(3 + 'email,name\n'.length);
  });

  it('skips blank lines and keeps counting them', async () => {
    const items = await readText('a,b\n\n1,2\r\n\r\n\n3,4');
    expect(summarize(items)).toEqual(['3: {"a":"1","b":"2"}', '6: {"a":"3","b":"4"}']);
  });

  it('splits on other delimiters, including longer ones', async () => {
    expect(recordsOf(await readText('a;b\n"x;y";z\n', { delimiter: ';' }))[0]!.fields).toEqual({ a: 'x;y', b: 'z' });
    expect(recordsOf(await readText('a\tb\nx\ty\n', { delimiter: '\t' }))[0]!.fields).toEqual({ a: 'x', b: 'y' });
    expect(recordsOf(await readText('a||b\nx|y||z\n', { delimiter: '||' }))[0]!.fields).toEqual({ a: 'x|y', b: 'z' });
  });

  it('refuses a delimiter that cannot work', () => {
    expect(() => readCsv(streamOf(''), { origin: 'x.csv', delimiter: '"', limits: LIMITS })).toThrow(
      'CSV delimiter "\\"" is not usable: use text without quotes or line breaks, such as "," or ";"',
    );
  });

  it('reads nothing from an empty file or a file with only a header', async () => {
    expect(await readText('')).toEqual([]);
    expect(await readText('a,b\n')).toEqual([]);
  });
});
