import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { FileReadError } from '../../../engine/ingest/readers/file-read-error';
import { openFile } from '../../../engine/ingest/readers/open-file';
import { readCsv } from '../../../engine/ingest/readers/read-csv';
import { collect, fixture, LIMITS } from './reader-test-kit';

let dir: string;
const plain = readFileSync(fixture('lead_extract1.csv'));

async function bytesOf(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function failure(promise: Promise<unknown>): Promise<FileReadError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(FileReadError);
  return error as FileReadError;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'roster-open-file-'));
  writeFileSync(path.join(dir, 'leads.csv.gz'), gzipSync(plain));
  writeFileSync(path.join(dir, 'leads-gzipped.csv'), gzipSync(plain));
  writeFileSync(path.join(dir, 'leads.csv'), plain);
});

describe('openFile', () => {
  it('decompresses gzip found by the .gz name or by the magic bytes, and passes plain files through', async () => {
    expect(await bytesOf(await openFile(path.join(dir, 'leads.csv.gz')))).toEqual(plain);
    expect(await bytesOf(await openFile(path.join(dir, 'leads-gzipped.csv')))).toEqual(plain);
    expect(await bytesOf(await openFile(path.join(dir, 'leads.csv')))).toEqual(plain);
    expect(await bytesOf(await openFile(path.join(dir, 'leads-gzipped.csv'), 'gzip'))).toEqual(plain);
  });

  it('leaves gzip bytes alone with compression none', async () => {
    expect(await bytesOf(await openFile(path.join(dir, 'leads.csv.gz'), 'none'))).toEqual(gzipSync(plain));
  });

  it('fails the read with the file name when a gzip stream is corrupt or cut short', async () => {
    const gz = gzipSync(plain);
    const corrupt = Buffer.from(gz);
    corrupt.fill(0xff, 20, 60);
    writeFileSync(path.join(dir, 'corrupt.csv.gz'), corrupt);
    writeFileSync(path.join(dir, 'cut.csv.gz'), gz.subarray(0, gz.length - 40));
    const read = async (name: string) =>
      collect(readCsv(await openFile(path.join(dir, name), 'auto', name), { origin: name, limits: LIMITS }));
    const corruptError = await failure(read('corrupt.csv.gz'));
    expect(corruptError.code).toBe('FILE_GZIP');
    expect(corruptError.message).toMatch(
      /^corrupt\.csv\.gz is not valid gzip: .+; the file is damaged or incomplete: /,
    );
    expect((await failure(read('cut.csv.gz'))).message).toMatch(
      /^cut\.csv\.gz is not valid gzip: unexpected end of file;/,
    );
  });

  it('fails a plain file read as gzip, saying what to do', async () => {
    const error = await failure(bytesOf(await openFile(path.join(dir, 'leads.csv'), 'gzip', 'leads.csv')));
    expect(error.message).toBe(
      'leads.csv is not valid gzip: incorrect header check; the file is damaged or incomplete: download or export it again (or read it with compression "none" if it is not compressed)',
    );
  });

  it('rejects a missing file or a directory with FILE_OPEN', async () => {
    const missing = await failure(openFile(path.join(dir, 'nope.csv'), 'auto', 'data/nope.csv'));
    expect([missing.code, missing.message]).toEqual([
      'FILE_OPEN',
      'cannot open data/nope.csv: no such file; check the path',
    ]);
    const folder = await failure(openFile(dir, 'auto', 'data'));
    expect(folder.message).toBe('cannot open data: it is a directory; name a file, or a glob for the files in it');
  });
});
