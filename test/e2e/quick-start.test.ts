import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopEmbeddedDatabase } from '../../engine/runtime/embedded-database';
import { collectOutput, ROOT } from '../support/run-roster';

/**
 * The README's Quick start on a fresh checkout: the repository's files (tracked and new, as a clone
 * of this tree would have them) copied to an empty directory, with no DATABASE_URL, so `npm start`
 * initialises and uses the embedded PostgreSQL in its own ROSTER_HOME. Dependencies are linked,
 * not reinstalled (`npm install` is what CI runs first anyway).
 */
let clone: string;
let home: string;

beforeAll(async () => {
  clone = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-clone-'));
  home = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-home-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!(await fs.stat(from).catch(() => undefined))?.isFile()) continue; // deleted in the working tree
    await fs.mkdir(path.dirname(path.join(clone, file)), { recursive: true });
    await fs.copyFile(from, path.join(clone, file));
  }
  await fs.symlink(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
  // The embedded server runs as the postgres OS user when the tests run as root: it must reach the home.
  await fs.chmod(home, 0o755);
});

afterAll(async () => {
  // Stop the embedded server this test started; its data directory goes with the home.
  await stopEmbeddedDatabase({ ROSTER_HOME: home });
  await fs.rm(clone, { recursive: true, force: true });
  await fs.rm(home, { recursive: true, force: true });
});

/** `npm <args>` in the clone with a clean environment: no DATABASE_URL, the test's ROSTER_HOME. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ROSTER_HOME: home };
  return collectOutput(spawn('npm', ['--silent', ...args], { cwd: clone, env })).done;
}

/** The members of a person segment, by email, as `roster segment members` lists them. */
async function memberEmails(segment: string): Promise<string[]> {
  const { code, stdout, stderr } = await run([
    'exec',
    '--',
    'roster',
    'segment',
    'members',
    segment,
    '--sandbox',
    'demo',
    '--format',
    'json',
    '--limit',
    '100000',
  ]);
  expect(code, stderr).toBe(0);
  // A member without an email has a null label and an empty CSV cell.
  return (JSON.parse(stdout).members as { label: string | null }[]).map((m) => m.label ?? '').sort();
}

describe('Quick start: npm start in a fresh clone, on the embedded database', () => {
  it('runs the whole chain, exports files with the members, and the webhook receives the membership', async () => {
    const first = await run(['start']);
    expect(first.code, first.stderr).toBe(0);
    const out = first.stdout;
    expect(out).toMatch(/Apply complete: 14 created/);
    for (const segment of ['buying-committee', 'hot-leads', 'enterprise-accounts', 'nurture-prospects'])
      expect(Number(new RegExp(`${segment}\\s+(\\d+) members`).exec(out)?.[1])).toBeGreaterThan(0);
    expect(out).toMatch(/500 events in 1 batches: 500 stored, 0 quarantined/);
    expect(out).toMatch(
      /Destination\/marketo-nurture \(marketo-static-list\): skipped, set ROSTER_VAR_MARKETO_ENDPOINT/,
    );

    // The file export of a person segment holds exactly its members.
    const exportDir = path.join(clone, '.roster', 'exports', 'demo', 'buying-committee');
    const manifest = JSON.parse(await fs.readFile(path.join(exportDir, 'manifest.json'), 'utf8'));
    const latest = await fs.readFile(path.join(exportDir, manifest.latest), 'utf8');
    const [header, ...rows] = latest.trim().split(/\r?\n/);
    const emailColumn = header!.split(',').indexOf('email');
    expect(rows.map((row) => row.split(',')[emailColumn]).sort()).toEqual(await memberEmails('buying-committee'));

    // The webhook receiver ends up holding each segment's membership.
    const received = /members received: ([^)]*)\)/.exec(out)?.[1] ?? '';
    const counts = Object.fromEntries(received.split(', ').map((part) => part.split(' ')));
    expect(Number(counts['hot-leads'])).toBe((await memberEmails('hot-leads')).length);
    expect(Number(counts['buying-committee'])).toBe((await memberEmails('buying-committee')).length);

    const second = await run(['start']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('No changes. Sandbox demo matches the files (14 resources unchanged).');
    expect(second.stdout).toMatch(/Source\/salesforce-crm: succeeded, 5745 read, 0 written/);
    expect(second.stdout).toMatch(/Destination\/sales-alerts \(webhook\): nothing new to deliver/);
  });
});
