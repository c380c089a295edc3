import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileReadError } from '../../../engine/ingest/readers/file-read-error';
import { getField } from '../../../engine/ingest/readers/flatten-fields';
import { openFile } from '../../../engine/ingest/readers/open-file';
import { MAX_JSON_FILE_BYTES, readJson } from '../../../engine/ingest/readers/read-json';
import { badOf, collect, fixture, LIMITS, recordsOf, streamOf } from './reader-test-kit';

async function readText(text: string | Buffer, options: { maxFileBytes?: number; maxRecordBytes?: number } = {}) {
  const limits = { maxRecordBytes: options.maxRecordBytes ?? LIMITS.maxRecordBytes };
  return collect(
    readJson(streamOf(text, 1000), { origin: 'Contact.json', limits, maxFileBytes: options.maxFileBytes }),
  );
}

async function failure(text: string, options: { maxFileBytes?: number } = {}): Promise<FileReadError> {
  const error = await readText(text, options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(FileReadError);
  return error as FileReadError;
}

describe('readJson', () => {
  it('reads the records of a real Salesforce data-tree export, attributes included', async () => {
    const items = await collect(
      readJson(await openFile(fixture('Contact.json')), { origin: 'Contact.json', limits: LIMITS }),
    );
    const records = recordsOf(items);
    expect(records).toHaveLength(10);
    const rose = records[0]!;
    expect(rose.position).toEqual({ origin: 'Contact.json', index: 0 });
    expect(rose.fields).toMatchObject({
      attributes: { type: 'Contact', referenceId: 'ref0030S00000DL1xgQAD' },
      AccountId: '@ref0010S00000C1t1vQAB',
      FirstName: 'Rose',
      LastName: 'Gonzalez',
      Email: 'rose@edge.com',
      MailingStreet: '313 Constitution Place\nAustin, TX 78767\nUSA',
    });
    expect(getField(rose.fields, 'attributes.referenceId')).toBe('ref0030S00000DL1xgQAD');
    expect(records[1]!.fields.Email).toBe('sean@edge.com');
    expect(records.map((record) => record.position.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reads a top-level array, and reports entries that are not objects by their index', async () => {
    const items = await readText('\uFEFF[{"id":1}, "two", [3], null, {"id":5}]');
    expect(recordsOf(items).map((record) => [record.position.index, record.fields])).toEqual([
      [0, { id: 1 }],
      [4, { id: 5 }],
    ]);
    expect(badOf(items)).toEqual([
      {
        position: { origin: 'Contact.json', index: 1 },
        reason: 'entry 1 is a string, not a JSON object',
        raw: '"two"',
      },
      { position: { origin: 'Contact.json', index: 2 }, reason: 'entry 2 is an array, not a JSON object', raw: '[3]' },
      { position: { origin: 'Contact.json', index: 3 }, reason: 'entry 3 is null, not a JSON object', raw: 'null' },
    ]);
  });

  it('reports a record over the size limit and reads the others', async () => {
    const items = await readText(JSON.stringify([{ id: 1 }, { note: 'x'.repeat(3000) }, { id: 3 }]), {
      maxRecordBytes: 1024,
    });
    expect(badOf(items).map((bad) => [bad.position.index, bad.reason])).toEqual([
      [1, 'record is 2.9 KiB, over the 1.0 KiB limit'],
    ]);
    expect(recordsOf(items)).toHaveLength(2);
  });

  it('reports the field of a value that is not UTF-8', async () => {
    const text = Buffer.concat([
      Buffer.from('[{"id":1},{"Account":{"Name":"Caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}}]'),
    ]);
    expect(badOf(await readText(text)).map((bad) => [bad.position.index, bad.field, bad.reason])).toEqual([
      [1, 'Account.Name', 'invalid UTF-8 in field Account.Name; re-export the file as UTF-8'],
    ]);
  });

  it('refuses a file with a syntax error, naming its line and column', async () => {
    const broken = readFileSync(fixture('Contact.json'), 'utf8').replace(
      '"LastName": "Forbes",',
      '"LastName": "Forbes"',
    );
    const error = await failure(broken);
    expect(error.code).toBe('FILE_JSON_SYNTAX');
    expect(error.message).toBe(
      "Contact.json:32:13: invalid JSON: Expected ',' or '}' after property value; fix the file or export it again",
    );
    expect([error.line, error.column]).toEqual([32, 13]);
    expect((await failure('{"records": [}')).message).toBe(
      "Contact.json:1:14: invalid JSON: Unexpected token '}'; fix the file or export it again",
    );
  });

  it('refuses a document that is neither an array nor an object with a records array', async () => {
    const expected =
      'a JSON source must hold an array of objects, or an object with a "records" array (a Salesforce data-tree export)';
    expect((await failure('{"totalSize": 0}')).message).toBe(
      `Contact.json holds an object without a "records" array; ${expected}`,
    );
    expect((await failure('"text"')).code).toBe('FILE_JSON_SHAPE');
  });

  it('refuses a file over the whole-document limit, 256 MiB by default', async () => {
    expect(MAX_JSON_FILE_BYTES).toBe(256 * 1024 * 1024);
    const error = await failure(JSON.stringify([{ note: 'x'.repeat(5000) }]), { maxFileBytes: 4096 });
    expect(error.code).toBe('FILE_TOO_LARGE');
    expect(error.message).toBe(
      'Contact.json is over 4.0 KiB, the largest JSON document read whole; export it as NDJSON (one object per line), which is read as a stream',
    );
  });
});
