import { describe, expect, it } from 'vitest';
import { FileReadError } from '../../../engine/ingest/readers/file-read-error';
import { openFile } from '../../../engine/ingest/readers/open-file';
import { readCsv } from '../../../engine/ingest/readers/read-csv';
import { badOf, collect, fixture, LIMITS, streamOf, summarize } from './reader-test-kit';

const QUOTING = 'double a quote inside a quoted field ("")';
const HEADER = 'id,first,last,email,company,title,country\n';

async function readText(text: string | Buffer, maxRecordBytes = LIMITS.maxRecordBytes, chunkBytes?: number) {
  return collect(
    readCsv(streamOf(text, chunkBytes), { origin: 'people.csv', nullValue: 'null', limits: { maxRecordBytes } }),
  );
}

describe('readCsv bad records', () => {
  it('reports a record with too few or too many fields, and reads on', async () => {
    const text = `${HEADER}1,Ann,Lee,ann@a.co,Acme,CTO,US\n2,Bob,Ray,bob@b.co,Beta\n3,Cy,Ma,cy@c.co,Cyan,VP,FR,extra\n4,Di,Ko,di@d.co,Dune,CEO,DE\n`;
    const items = await readText(text);
    expect(summarize(items)).toEqual([
      '2: {"id":"1","first":"Ann","last":"Lee","email":"ann@a.co","company":"Acme","title":"CTO","country":"US"}',
      '3: BAD has 5 fields, the header has 7',
      '4: BAD has 8 fields, the header has 7',
      '5: {"id":"4","first":"Di","last":"Ko","email":"di@d.co","company":"Dune","title":"CEO","country":"DE"}',
    ]);
    expect(badOf(items)[0]).toEqual({
      position: { origin: 'people.csv', line: 3, offset: HEADER.length + 31, index: 1 },
      reason: 'has 5 fields, the header has 7',
      raw: '2,Bob,Ray,bob@b.co,Beta',
    });
  });

  it('reports the undoubled quote of the real Marketo file lead_extract_with_quote_in_quote_field.csv', async () => {
    const input = await openFile(fixture('lead_extract_with_quote_in_quote_field.csv'));
    const items = await collect(readCsv(input, { origin: 'leads.csv', nullValue: 'null', limits: LIMITS }));
    expect(items).toEqual([
      {
        bad: {
          position: { origin: 'leads.csv', line: 2, offset: 19, index: 0 },
          field: 'firstName',
          reason: `unexpected "N" after the closing quote of field firstName at column 8; ${QUOTING}`,
          raw: '"first"Name1","lastName1"',
        },
      },
    ]);
  });

  it('reports a quote in the middle of an unquoted field with its column, and reads the next line', async () => {
    const items = await readText('id,last,city\n1,O"Brien,Cork\n2,Ng,"Paris"\n');
    expect(summarize(items)).toEqual([
      `2: BAD quote in the middle of unquoted field last at column 4; put the whole field in quotes and ${QUOTING}`,
      '3: {"id":"2","last":"Ng","city":"Paris"}',
    ]);
    expect(badOf(items)[0]!.field).toBe('last');
  });

  it('reports an unterminated quoted field at the end of the file and reads the lines it swallowed', async () => {
    const items = await readText('id,name,email\n1,"Bob,bob@b.co\n2,Ann,ann@a.co\n3,Cy,cy@c.co\n');
    expect(summarize(items)).toEqual([
      `2: BAD unterminated quoted field name (opened at column 3); close it with a quote and ${QUOTING}`,
      '3: {"id":"2","name":"Ann","email":"ann@a.co"}',
      '4: {"id":"3","name":"Cy","email":"cy@c.co"}',
    ]);
    expect(summarize(items)).toEqual(
      summarize(
        await readText('id,name,email\n1,"Bob,bob@b.co\n2,Ann,ann@a.co\n3,Cy,cy@c.co\n', LIMITS.maxRecordBytes, 5),
      ),
    );
  });

  it('reports an unterminated quoted field that runs into a later quoted field, and reads the lines in between', async () => {
    const items = await readText('id,name,email\n1,"Bob,bob@b.co\n2,Ann,ann@a.co\n3,"Carl",carl@c.co\n4,Di,di@d.co');
    expect(summarize(items)).toEqual([
      `2: BAD unterminated quoted field name (opened at column 3); close it with a quote and ${QUOTING}`,
      '3: {"id":"2","name":"Ann","email":"ann@a.co"}',
      '4: {"id":"3","name":"Carl","email":"carl@c.co"}',
      '5: {"id":"4","name":"Di","email":"di@d.co"}',
    ]);
    expect(items.map((item) => ('record' in item ? item.record.position.index : item.bad.position.index))).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('names the line of a quoting mistake that follows a multi-line field', async () => {
    const items = await readText('id,street,note\n1,"Main St\nFloor 2",say "hi"\n2,Elm,ok\n');
    expect(summarize(items)).toEqual([
      `2: BAD quote in the middle of unquoted field note at line 3, column 14; put the whole field in quotes and ${QUOTING}`,
      '4: {"id":"2","street":"Elm","note":"ok"}',
    ]);
  });

  it('reports a NUL byte with the field that holds it, quoted or not', async () => {
    const items = await readText(
      `${HEADER}1,Ann,Lee,ann\0@a.co,Acme,CTO,US\n2,"Bo\0b",Ray,bob@b.co,Beta,VP,FR\n3,Cy,Ma,cy@c.co,Cyan,VP,FR\n`,
    );
    expect(summarize(items)).toEqual([
      '2: BAD NUL byte in field email',
      '3: BAD NUL byte in field first',
      '4: {"id":"3","first":"Cy","last":"Ma","email":"cy@c.co","company":"Cyan","title":"VP","country":"FR"}',
    ]);
    expect(badOf(items).map((bad) => bad.field)).toEqual(['email', 'first']);
  });

  it('reports invalid UTF-8 (a Latin-1 byte) with its field', async () => {
    const latin1 = Buffer.concat([Buffer.from('id,first\n1,Jos'), Buffer.from([0xe9]), Buffer.from('\n2,Zoë\n')]);
    const items = await readText(latin1);
    expect(summarize(items)).toEqual([
      '2: BAD invalid UTF-8 in field first (byte 0xe9); re-export the file as UTF-8',
      '3: {"id":"2","first":"Zoë"}',
    ]);
  });

  it('skips a record with a 10 MB field without holding it, and reads the next records on their lines', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const text = `id,note,city\n1,short,Rome\n2,${big},Oslo\n3,after,Lima\n`;
    const items = await readText(text, 1024 * 1024);
    expect(summarize(items)).toEqual([
      '2: {"id":"1","note":"short","city":"Rome"}',
      '3: BAD record is 10.0 MiB, over the 1.0 MiB limit',
      '4: {"id":"3","note":"after","city":"Lima"}',
    ]);
    const bad = badOf(items)[0]!;
    expect(bad.raw).toHaveLength(2048);
    expect(bad.position.offset).toBe('id,note,city\n1,short,Rome\n'.length);
    const after = items[2]!;
    expect('record' in after && after.record.position.offset).toBe(text.indexOf('3,after'));
  });

  it('skips a too-big quoted field that spans lines to its closing quote', async () => {
    const big = 'line of text\n'.repeat(100_000); // 1.2 MiB of short lines inside one quoted field
    const text = `id,note\n1,"${big}end, with ""quotes"""\n2,after\n`;
    const items = await readText(text, 1024 * 1024, 4096);
    expect(summarize(items)).toEqual([
      '2: BAD record is 1.2 MiB, over the 1.0 MiB limit',
      '100003: {"id":"2","note":"after"}',
    ]);
  });

  it('refuses the file when a quoted field never closes and runs past the limit to its end', async () => {
    const failure = await readText(`id,note\n1,"${'never closed\n'.repeat(100_000)}`, 1024 * 1024).then(
      () => undefined,
      (error: Error & { code?: string }) => error,
    );
    expect(failure?.code).toBe('FILE_CSV_QUOTE');
    expect(failure?.message).toMatch(
      /:2: a quoted field opened here is never closed, so the rest of the file cannot be read; fix the quoting and run again$/,
    );
  });

  it('reads every record after a run of different bad ones, on the right lines', async () => {
    const text = [
      'id,name,email',
      '1,Ann,ann@a.co',
      '2,"Bo"b",bob@b.co',
      '3,Cy',
      '4,D\0i,di@d.co',
      `5,"${'y'.repeat(2000)}",e@e.co`,
      '6,"Fay\nJones",fay@f.co',
      '7,Gus,gus@g.co',
    ].join('\r\n');
    const items = await readText(text, 1024);
    expect(summarize(items)).toEqual([
      '2: {"id":"1","name":"Ann","email":"ann@a.co"}',
      `3: BAD unexpected "b" after the closing quote of field name at column 7; ${QUOTING}`,
      '4: BAD has 2 fields, the header has 3',
      '5: BAD NUL byte in field name',
      '6: BAD record is 2.0 KiB, over the 1.0 KiB limit',
      '7: {"id":"6","name":"Fay\\nJones","email":"fay@f.co"}',
      '9: {"id":"7","name":"Gus","email":"gus@g.co"}',
    ]);
  });
});

describe('readCsv header problems', () => {
  async function headerError(text: string | Buffer): Promise<FileReadError> {
    const error = await readText(text).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileReadError);
    return error as FileReadError;
  }

  it('refuses a header that names a column twice, since records could not be named', async () => {
    const error = await headerError('id,email,email\n1,a,b\n');
    expect(error.code).toBe('FILE_CSV_HEADER');
    expect(error.message).toBe(
      'people.csv:1: the header row names "email" twice (columns 2 and 3); give each column its own name',
    );
  });

  it('refuses a UTF-16 file, whose header is full of NUL bytes', async () => {
    const error = await headerError(Buffer.from('id,email\n1,a@b.co\n', 'utf16le'));
    expect(error.message).toBe(
      'people.csv:1: the header row holds a NUL byte in column 1; the file is probably UTF-16: re-export it as UTF-8',
    );
  });

  it('refuses a header with an empty column name', async () => {
    const error = await headerError('id,,email\n');
    expect(error.message).toBe(
      'people.csv:1: the header row has no name for column 2; name every column in the first row',
    );
  });

  it('refuses a header with a quoting mistake or over the size limit', async () => {
    expect((await headerError('id,"na"me\n1,a\n')).message).toBe(
      `people.csv:1: the header row cannot be read: unexpected "m" after the closing quote of field column 2 at column 8; ${QUOTING}`,
    );
    const error = await readText(`id,${'n'.repeat(3000)}\n1,a\n`, 1024).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('people.csv:1: the header row is 2.9 KiB, over the 1.0 KiB limit');
  });
});
