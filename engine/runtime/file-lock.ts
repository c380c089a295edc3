import { promises as fs } from 'node:fs';
import { isProcessAlive } from '../util/is-process-alive';

/**
 * Runs `work` while holding an exclusive lock file (created with O_EXCL, holding our pid). A lock
 * whose pid is dead is stale and taken over; otherwise we wait, up to `timeoutMs`.
 */
export async function withFileLock<T>(file: string, work: () => Promise<T>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(await fs.readFile(file, 'utf8').catch(() => ''));
      if (!Number.isInteger(holder) || holder <= 0 || !isProcessAlive(holder)) {
        await fs.rm(file, { force: true }); // stale: its process is gone
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (held by pid ${holder})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(file, { force: true });
  }
}
