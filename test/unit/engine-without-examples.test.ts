import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
/** An import or require whose specifier reaches into the repository's examples/ folder. */
const FROM_EXAMPLES = /(?:from\s+|require\(\s*|import\(\s*)['"][./]*\/?examples\//;

async function typescriptFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? typescriptFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])),
  );
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

describe('the engine', () => {
  it('imports nothing from examples/: the example calls the engine (its data generator is engine/demo/acme-data)', async () => {
    const offending: string[] = [];
    for (const file of await typescriptFiles(path.join(ROOT, 'engine'))) {
      const text = await fs.readFile(file, 'utf8');
      if (FROM_EXAMPLES.test(text)) offending.push(path.relative(ROOT, file));
    }
    expect(offending).toEqual([]);
  });
});
