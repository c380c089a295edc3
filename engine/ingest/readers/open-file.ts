import { type FileHandle, open } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileReadError } from './file-read-error';

/** How a file is compressed: `auto` looks at its name (`.gz`) and its first bytes. */
export type Compression = 'auto' | 'gzip' | 'none';

/** Larger reads than Node's 64 KiB default: fewer chunks, fewer awaits per record downstream. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * The bytes of the file at `path`, decompressed when it is gzip: with `auto`, when its name ends
 * in `.gz` or it starts with the gzip magic bytes (1f 8b). `name` is how messages call the file
 * (the path as the user wrote it); `path` by default.
 *
 * Rejects with `FileReadError` `FILE_OPEN` when the file cannot be opened. A stream that is not
 * valid gzip fails part-way with `FILE_GZIP` ("leads.csv.gz is not valid gzip: ..."), which a
 * reader iterating the stream passes on to its caller.
 */
export async function openFile(
  path: string,
  compression: Compression = 'auto',
  name: string = path,
): Promise<Readable> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw openError(name, error);
  }
  let gzip: boolean;
  try {
    if ((await handle.stat()).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    gzip =
      compression === 'gzip' ||
      (compression === 'auto' && (/\.gz$/i.test(path) || (await startsWithGzipMagic(handle))));
  } catch (error) {
    await handle.close();
    throw openError(name, error);
  }
  const bytes = handle.createReadStream({ start: 0, highWaterMark: READ_CHUNK_BYTES });
  return gzip ? gunzip(bytes, name) : bytes;
}

async function startsWithGzipMagic(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** `bytes` decompressed; zlib's errors become `FILE_GZIP` errors that name the file. */
function gunzip(bytes: Readable, name: string): Readable {
  const unzip = createGunzip({ chunkSize: READ_CHUNK_BYTES });
  const out = new PassThrough({ readableHighWaterMark: READ_CHUNK_BYTES });
  bytes.on('error', (error) => out.destroy(readError(name, error)));
  unzip.on('error', (error) => {
    const advice =
      'the file is damaged or incomplete: download or export it again (or read it with compression "none" if it is not compressed)';
    out.destroy(
      new FileReadError('FILE_GZIP', `${name} is not valid gzip: ${error.message}; ${advice}`, { cause: error }),
    );
  });
  // A consumer that stops early destroys `out`; the file and the inflater must go with it.
  out.on('close', () => {
    bytes.destroy();
    unzip.destroy();
  });
  bytes.pipe(unzip).pipe(out);
  return out;
}

function openError(name: string, error: unknown): FileReadError {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file; check the path',
    EACCES: 'permission denied; make the file readable by the user running roster',
    EISDIR: 'it is a directory; name a file, or a glob for the files in it',
  };
  const reason = (code && reasons[code]) ?? (error instanceof Error ? error.message : String(error));
  return new FileReadError('FILE_OPEN', `cannot open ${name}: ${reason}`, { cause: error });
}

function readError(name: string, error: Error): FileReadError {
  return new FileReadError('FILE_READ', `cannot read ${name}: ${error.message}`, { cause: error });
}
