import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.join(__dirname, '..', '..', '..', 'engine', 'cli');

/** A call of a connection's `query`, or a string literal that starts with SQL. */
const SQL = [/\.query\s*[<(]/, /[`'"]\s*(select|insert\s+into|update\s+\S+\s+set|delete\s+from|with\s+\w+\s+as)\b/i];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])),
  );
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

describe('the CLI', () => {
  it('runs no SQL of its own: every query is a named read or write function of the stage owning the table', async () => {
    const offending: string[] = [];
    for (const file of await sourceFiles(CLI)) {
      const lines = (await fs.readFile(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (SQL.some((pattern) => pattern.test(line)))
          offending.push(`${path.relative(CLI, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offending).toEqual([]);
  });
});
