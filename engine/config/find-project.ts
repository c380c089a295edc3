import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_FILE } from './parse-project-file';

/** A project file found on disk, not yet parsed. */
export interface FoundProject {
  /** Directory holding roster.yaml: the root of the resource files. */
  root: string;
  bytes: Buffer;
}

/**
 * The nearest roster.yaml at `start` or above it, as git finds its repository: a command run
 * anywhere inside an audience repository works on the whole repository. Undefined when there is none.
 */
export async function findProject(start: string): Promise<FoundProject | undefined> {
  let dir = path.resolve(start);
  for (;;) {
    const bytes = await fs.readFile(path.join(dir, PROJECT_FILE)).catch(() => undefined);
    if (bytes) return { root: dir, bytes };
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
