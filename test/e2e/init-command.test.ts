import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { captureIo } from '../support/capture-io';

/** `roster init` in this process: what it writes, what it keeps, what it refuses. */
let work: string;

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-init-'));
});

afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const STARTER = [
  'roster.yaml',
  'package.json',
  '.gitignore',
  'README.md',
  'data/people.csv',
  'sources/crm-people.yaml',
  'identity/people-identity.yaml',
  'segments/decision-makers.yaml',
  'destinations/decision-maker-export.yaml',
];

describe('roster init', () => {
  it('creates the directory, names the project after it and reports the files as JSON', async () => {
    const io = captureIo(work);
    expect(await main(['init', 'My Audiences', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out.join(''))).toEqual({
      project: 'my-audiences',
      directory: 'My Audiences',
      written: STARTER,
      kept: [],
    });
    const projectFile = await fs.readFile(path.join(work, 'My Audiences', 'roster.yaml'), 'utf8');
    expect(projectFile).toContain('\nname: my-audiences\n');
    const pkg = JSON.parse(await fs.readFile(path.join(work, 'My Audiences', 'package.json'), 'utf8'));
    expect(pkg.devDependencies).toEqual({ 'roster-cdp': '0.1.0' });
  });

  it('writes a project that validates, from a subfolder too', async () => {
    const io = captureIo(path.join(work, 'My Audiences', 'segments'));
    expect(await main(['validate'], io)).toBe(0);
    expect(io.out.join('')).toContain('4 resources in 4 files are valid (sandbox dev)');
  });

  it('keeps an existing package.json and .gitignore', async () => {
    const dir = path.join(work, 'has-package');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'package.json'), '{"name":"mine"}\n');
    await fs.writeFile(path.join(dir, '.gitignore'), 'secrets/\n');
    const io = captureIo(dir);
    expect(await main(['init', '--name', 'mine'], io)).toBe(0);
    expect(io.out.join('')).toContain('package.json (existed; kept as it was)');
    expect(await fs.readFile(path.join(dir, 'package.json'), 'utf8')).toBe('{"name":"mine"}\n');
    expect(await fs.readFile(path.join(dir, '.gitignore'), 'utf8')).toBe('secrets/\n');
  });

  it('refuses a directory holding one of its files, and writes nothing', async () => {
    const dir = path.join(work, 'clash');
    await fs.mkdir(path.join(dir, 'segments'), { recursive: true });
    await fs.writeFile(path.join(dir, 'segments', 'decision-makers.yaml'), 'mine\n');
    const io = captureIo(work);
    expect(await main(['init', 'clash'], io)).toBe(1);
    expect(io.err.join('')).toBe(
      'INIT_EXISTS clash/segments/decision-makers.yaml already exists; nothing was written (roster init never overwrites; move them away or pick another directory)\n',
    );
    expect(await fs.readdir(dir)).toEqual(['segments']);
  });

  it('refuses an invalid --name as a usage error', async () => {
    const io = captureIo(work);
    expect(await main(['init', 'other', '--name', 'Bad_Name'], io)).toBe(2);
    expect(io.err.join('')).toBe(
      'error: --name "Bad_Name" is not a valid project name; use lower-case letters, digits and hyphens, starting with a letter\n',
    );
  });
});
