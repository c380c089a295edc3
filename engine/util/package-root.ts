import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The directory of Roster's own package.json: the repository in a clone, the package in
 * `node_modules` when installed. The code runs from `engine/` (sources) or `dist/engine/`
 * (compiled), so files shipped beside it (examples, schemas) are found from here, not from cwd.
 */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}: Roster's files are incomplete`);
    dir = parent;
  }
  return dir;
}

/** The version of the running Roster, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
