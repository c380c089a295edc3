import { promises as fs } from 'node:fs';

/** How every saved plan starts (`roster plan --out` writes these members first, in this order). */
const SAVED_PLAN_START = /^\{\s*"formatVersion":\s*\d+,\s*"kind":\s*"RosterSavedPlan"/;

/**
 * Whether a config file is a saved plan (`roster plan --out plan.json`). CI writes it in the
 * repository, usually at the config root, and `roster apply plan.json` reads the config directory
 * again: read as a resource, it would fail validation. Recognised by its first bytes.
 */
export function isSavedPlan(bytes: Buffer): boolean {
  return SAVED_PLAN_START.test(bytes.subarray(0, 256).toString('utf8'));
}

/** `isSavedPlan` for a file too large to read whole (a plan of many resources may pass the file limit). */
export async function fileIsSavedPlan(absolutePath: string): Promise<boolean> {
  const handle = await fs.open(absolutePath, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = Buffer.alloc(256);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isSavedPlan(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
