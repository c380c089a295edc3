import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { tempPathFor } from './temp-path-for';

/**
 * Writes `file` so that readers see the old content or the new, never a part: the content goes to
 * a temporary file in the same directory, is flushed to disk, and replaces `file` by rename.
 * `write` receives the open temporary file; whatever it returns is returned.
 */
export async function writeFileAtomically<T>(file: string, write: (handle: fs.FileHandle) => Promise<T>): Promise<T> {
  const temp = tempPathFor(file);
  const handle = await fs.open(temp, 'w');
  let result: T;
  try {
    result = await write(handle);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined); // the write's error is the one to report
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await fs.rename(temp, file);
  await syncDirectory(path.dirname(file));
  return result;
}

/** Makes the rename itself durable (a crash right after it could otherwise lose the new name). */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync there
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
