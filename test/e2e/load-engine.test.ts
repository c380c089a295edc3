import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../support/run-roster';

/**
 * What bin/load-engine.js runs (docs/decisions.md 49): the compiled dist/ when it is fresh, the
 * sources through tsx when it is missing or older than a source, dist/ always in an installed
 * package. Each case is a small tree with the real load-engine.js, a "module" in both places that
 * says where it was loaded from, and this repository's node_modules (for tsx).
 */
let tree: string;

beforeEach(async () => {
  tree = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-load-engine-'));
  await fs.mkdir(path.join(tree, 'bin'));
  await fs.copyFile(path.join(ROOT, 'bin', 'load-engine.js'), path.join(tree, 'bin', 'load-engine.js'));
  await fs.symlink(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  await write('engine/cli/main.ts', "export const from: string = 'sources';\n");
  await write('examples/acme/segments/a.yaml', 'kind: Segment\n');
  for (const dir of ['providers', 'schemas/v1']) await fs.mkdir(path.join(tree, dir), { recursive: true });
});

afterEach(async () => {
  await fs.rm(tree, { recursive: true, force: true });
});

async function write(file: string, text: string, mtime?: Date): Promise<void> {
  await fs.mkdir(path.dirname(path.join(tree, file)), { recursive: true });
  await fs.writeFile(path.join(tree, file), text);
  if (mtime) await fs.utimes(path.join(tree, file), mtime, mtime);
}

/** A dist/ built at `builtAt`, its stamp carrying that time. */
async function build(builtAt: Date): Promise<void> {
  await write('dist/engine/cli/main.js', "exports.from = 'dist';\n");
  await write('dist/build-stamp', `${builtAt.toISOString()}\n`, builtAt);
}

function loadedFrom(): string {
  const script = `console.log(require('./bin/load-engine').loadEngine('engine/cli/main').from)`;
  const result = spawnSync(process.execPath, ['-e', script], { cwd: tree, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

const past = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe('bin/load-engine.js', () => {
  it('runs the sources through tsx when there is no dist/', () => {
    expect(loadedFrom()).toBe('sources');
  });

  it('runs dist/ when no source is newer than its build', async () => {
    await write('engine/cli/main.ts', "export const from: string = 'sources';\n", past(60));
    await write('examples/acme/segments/a.yaml', 'kind: Segment\n', past(60));
    await build(past(30));
    expect(loadedFrom()).toBe('dist');
  });

  it('runs the sources again once one is edited after the build', async () => {
    await build(past(30));
    await write('engine/cli/main.ts', "export const from: string = 'sources';\n", past(5));
    expect(loadedFrom()).toBe('sources');
  });

  it('keeps dist/ when only a resource file changed (YAML is not compiled)', async () => {
    await write('engine/cli/main.ts', "export const from: string = 'sources';\n", past(60));
    await build(past(30));
    await write('examples/acme/segments/a.yaml', 'kind: Segment # edited\n', past(5));
    expect(loadedFrom()).toBe('dist');
  });

  it('always runs dist/ in an installed package, which ships no sources', async () => {
    await fs.rm(path.join(tree, 'engine'), { recursive: true });
    await write('dist/engine/cli/main.js', "exports.from = 'dist';\n");
    expect(loadedFrom()).toBe('dist');
  });
});
