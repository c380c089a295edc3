import * as path from 'node:path';

/** Names of temporary files: hidden, and ending `.tmp`, so readers listing exports skip them. */
export const TEMP_FILE = /^\..+\.tmp$/;

/** `.<name>.tmp` beside `file`: the same directory, so the final rename is atomic. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
}
