import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';

/**
 * Compares `actual` with the golden file at `file`. With `UPDATE_GOLDEN=1` the file is (re)written
 * instead, so a deliberate wording change is one command and shows up in review as a diff.
 */
export async function expectGolden(actual: string, file: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN === '1') {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, actual);
    return;
  }
  const expected = await fs.readFile(file, 'utf8').catch(() => undefined);
  if (expected === undefined)
    throw new Error(`golden file ${file} is missing; run UPDATE_GOLDEN=1 npm test to create it, then review it`);
  expect(actual).toBe(expected);
}
