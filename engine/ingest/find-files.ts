import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Files under `baseDir` matching `pattern` (relative, `/`-separated; `*` and `?` within a path
 * segment, `**` for any depth), sorted, so runs read files in a stable order.
 */
export async function findFiles(baseDir: string, pattern: string): Promise<string[]> {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const found: string[] = [];
  await walk(baseDir, segments, '', found);
  return found.sort();
}

async function walk(dir: string, segments: readonly string[], relative: string, found: string[]): Promise<void> {
  const [head, ...rest] = segments;
  if (head === undefined) return;
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  if (head === '**') {
    await walk(dir, rest, relative, found);
    for (const entry of entries.filter((e) => e.isDirectory()))
      await walk(path.join(dir, entry.name), segments, join(relative, entry.name), found);
    return;
  }
  const matcher = segmentRegExp(head);
  for (const entry of entries.filter((e) => matcher.test(e.name))) {
    const next = join(relative, entry.name);
    if (rest.length === 0 && entry.isFile()) found.push(next);
    else if (rest.length > 0 && entry.isDirectory()) await walk(path.join(dir, entry.name), rest, next, found);
  }
}

function join(relative: string, name: string): string {
  return relative === '' ? name : `${relative}/${name}`;
}

function segmentRegExp(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}
