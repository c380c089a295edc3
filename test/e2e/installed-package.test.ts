import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import { ROOT } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

/**
 * Roster as a user installs it: `npm pack` of this repository, installed into an empty directory
 * outside it, then a project made by `roster init` taken from files to members. The members are
 * what data/people.csv of the starter project implies: VPs and heads of department who accept
 * email, rows 1 and 7 (one email in two cases) being one person.
 */
const EXPECTED_MEMBERS = [
  'ana.silva@northwind.example',
  'chloe.martin@contoso.example',
  'felix.wagner@fabrikam.example',
];

let pool: Pool;
let work: string;
let project: string;
let tarball: string;
let env: NodeJS.ProcessEnv;
const sandbox = uniqueSandbox('pkg');

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 150_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The installed `roster`, run with the Node running the tests and nothing of this repository. */
function roster(...args: string[]) {
  return run(process.execPath, [path.join(project, 'node_modules', '.bin', 'roster'), ...args], project);
}

beforeAll(async () => {
  pool = await testPool();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-installed-'));
  project = path.join(work, 'audiences');
  await fs.mkdir(project);
  // PATH and HOME only (HOME holds the warm npm cache); DATABASE_URL as every test gets it.
  env = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: await testDatabaseUrl() };
  const packed = run('npm', ['pack', '--pack-destination', work, '--silent'], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = path.join(work, packed.stdout.trim().split('\n').pop()!);
  const installed = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  expect(installed.code, installed.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('ships the compiled engine, schemas, migrations and docs, and nothing of test/, bench/ or generated data', () => {
    const listed = run('tar', ['-tzf', tarball], work).stdout.split('\n');
    expect(listed).toContain('package/dist/engine/cli/main.js');
    expect(listed).toContain('package/dist/engine/runtime/migrations/0001_registry.sql');
    expect(listed).toContain('package/dist/examples/acme/generate-data.js');
    expect(listed).toContain('package/schemas/v1/project.schema.json');
    expect(listed).toContain('package/docs/cli.md');
    expect(listed.filter((f) => /^package\/(test|bench)\/|examples\/acme\/data\/|(?<!\.d)\.ts$/.test(f))).toEqual([]);
  });

  it('runs without TypeScript tooling: tsx and typescript are not installed with it', async () => {
    const modules = path.join(project, 'node_modules');
    expect(await fs.stat(path.join(modules, 'tsx')).catch(() => undefined)).toBeUndefined();
    expect(await fs.stat(path.join(modules, 'typescript')).catch(() => undefined)).toBeUndefined();
    expect(roster('--version').stdout.trim()).toBe('0.1.0');
  });

  it('takes a project from roster init to the members its CSV implies', async () => {
    const init = roster('init', '.');
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('package.json (existed; kept as it was)');
    // The test's own sandbox, declared the way a user adds one.
    const projectFile = path.join(project, 'roster.yaml');
    const text = await fs.readFile(projectFile, 'utf8');
    await fs.writeFile(
      projectFile,
      text.replace('sandboxes:\n', `sandboxes:\n  ${sandbox}:\n    vars: { exportDirectory: exports/test }\n`),
    );

    const validate = roster('validate', '--sandbox', sandbox);
    expect(validate.stdout, validate.stderr).toContain('4 resources in 4 files are valid');
    const plan = roster('plan', '--sandbox', sandbox);
    expect(plan.stdout, plan.stderr).toContain('4 to create');
    const apply = roster('apply', '--sandbox', sandbox, '--yes');
    expect(apply.code, apply.stderr).toBe(0);
    const ingest = roster('source', 'run', 'crm-people', '--sandbox', sandbox);
    expect(ingest.stdout, ingest.stderr).toContain('7 read, 7 written');
    const evaluate = roster('segment', 'run', '--all', '--sandbox', sandbox);
    expect(evaluate.stdout, evaluate.stderr).toContain('Segment/decision-makers (revision 1): 3 members');
    const members = roster('segment', 'members', 'decision-makers', '--sandbox', sandbox, '--format', 'json');
    expect(members.code, members.stderr).toBe(0);
    const listed = (JSON.parse(members.stdout) as { members: { label: string }[] }).members.map((m) => m.label);
    expect(listed.sort()).toEqual(EXPECTED_MEMBERS);
    // And what the runtime holds, read with independent SQL.
    const { rows } = await pool.query<{ email: string }>(
      `select p.email from ${sandboxSchema(sandbox)}.segment_memberships m
         join ${sandboxSchema(sandbox)}.persons p on p.id = m.subject_id
        where m.segment = 'decision-makers' order by p.email`,
    );
    expect(rows.map((r) => r.email)).toEqual(EXPECTED_MEMBERS);
  });

  it("points the editor's $schema lines at schemas that exist in the installed package", async () => {
    const files = [
      'roster.yaml',
      'sources/crm-people.yaml',
      'segments/decision-makers.yaml',
      'identity/people-identity.yaml',
      'destinations/decision-maker-export.yaml',
    ];
    for (const file of files) {
      const first = (await fs.readFile(path.join(project, file), 'utf8')).split('\n')[0]!;
      const schema = /^# yaml-language-server: \$schema=(.+)$/.exec(first)?.[1];
      expect(schema, file).toBeDefined();
      const resolved = path.resolve(path.dirname(path.join(project, file)), schema!);
      expect(JSON.parse(await fs.readFile(resolved, 'utf8')).$schema, file).toContain('json-schema.org');
    }
  });

  it('refuses to init over an existing project and writes nothing', async () => {
    const before = await fs.readFile(path.join(project, 'roster.yaml'), 'utf8');
    const again = roster('init', '.');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'INIT_EXISTS roster.yaml exists: . is already a Roster project; nothing was written (roster init never overwrites; pick another directory)\n',
    );
    expect(await fs.readFile(path.join(project, 'roster.yaml'), 'utf8')).toBe(before);
  });
});
