import { spawnSync } from 'node:child_process';

/** The commit checked out in `dir` (with `-dirty` when the directory has uncommitted changes), or undefined outside git. */
export function gitCommitOf(dir: string): string | undefined {
  const head = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return undefined;
  const status = spawnSync('git', ['-C', dir, 'status', '--porcelain', '--', '.'], { encoding: 'utf8' });
  const dirty = status.status === 0 && status.stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}
