/**
 * Roster as a Pulumi user gets it: `npm pack` of this repository installed into a project outside
 * it, whose own script (test/fixtures/pulumi-package/drive.js) drives the real Pulumi CLI (built by
 * tools/pulumi-cli/install.sh; file backend, no network) through the automation API, with programs
 * that import `roster-cdp/pulumi`: a `RosterProject` over a copy of examples/acme, and a TypeScript
 * program of typed classes compiled against the installed package's declarations. The dynamic
 * provider host runs from the project's node_modules. Steps build on each other, as a session would.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryGetPulumiCli } from '../support/pulumi-stack';
import { collectOutput, ROOT, type RosterResult } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const CLI = tryGetPulumiCli();
if (!CLI) {
  console.warn(
    'SKIPPED test/e2e/pulumi-package.test.ts: no Pulumi CLI; build it with tools/pulumi-cli/install.sh (needs Go and the Go module proxy)',
  );
}

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'pulumi-package');
const SECRETS = {
  MARKETO_CLIENT_SECRET: 'mkto-pkg-client-secret-81d2',
  SALES_WEBHOOK_SECRET: 'webhook-pkg-secret-3e9f',
  ACME_EVENTS_TOKEN: 'events-pkg-token-6a0c',
};
const DB_PASSWORD = 'db-pkg-password-5b7e';
const TIMEOUT = 600_000;

let pool: Pool;
let work: string;
let project: string;
let databaseUrl: string;
let driveEnv: NodeJS.ProcessEnv;
let rosterEnv: NodeJS.ProcessEnv;
const filesStack = uniqueSandbox('pkg');
const typedStack = uniqueSandbox('pkgts');

interface Drive {
  ok: boolean;
  error?: string;
  summary?: { result: string; resourceChanges: Record<string, number> };
  changeSummary?: Record<string, number>;
  stdout?: string;
}

/** The project's own deployment script: `node drive.js <operation> <stack> <files|typed>`. */
function driveArgs(operation: string, stack: string, mode: 'files' | 'typed'): string[] {
  return [path.join(project, 'drive.js'), operation, stack, mode];
}

function parseDrive(result: RosterResult): Drive {
  const last = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as Drive;
  } catch {
    throw new Error(`drive.js printed no result (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

function drive(operation: string, stack: string, mode: 'files' | 'typed', env: NodeJS.ProcessEnv = {}): Drive {
  const run = spawnSync(process.execPath, driveArgs(operation, stack, mode), {
    cwd: project,
    encoding: 'utf8',
    timeout: 540_000, // as roster() above: never wait on the test's own table lock forever
    env: { ...driveEnv, ...env },
  });
  return parseDrive({ code: run.status, stdout: run.stdout, stderr: run.stderr });
}

function driveAsync(operation: string, stack: string, mode: 'files' | 'typed') {
  const child = spawn(process.execPath, driveArgs(operation, stack, mode), { cwd: project, env: driveEnv });
  return { child, ...collectOutput(child as ChildProcessWithoutNullStreams) };
}

function rosterArgs(args: string[]): string[] {
  return [path.join(project, 'node_modules', 'roster-cdp', 'bin', 'roster.js'), ...args];
}

/**
 * The installed `roster`, in the project, with the database the stack's config names. Killed after
 * five minutes: a writer that wrongly got the lock would otherwise wait on the test's table lock forever.
 */
function roster(...args: string[]): RosterResult {
  const run = spawnSync(process.execPath, rosterArgs(args), {
    cwd: project,
    encoding: 'utf8',
    env: rosterEnv,
    timeout: 300_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function rosterAsync(...args: string[]) {
  const child = spawn(process.execPath, rosterArgs(args), { cwd: project, env: rosterEnv });
  return { child, ...collectOutput(child) };
}

function run(command: string, args: string[], cwd: string): RosterResult {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface RegistryRow {
  kind: string;
  name: string;
  revision: number;
  appliedAt: string;
  managedBy: string;
}

async function registryRows(sandbox: string): Promise<RegistryRow[]> {
  const { rows } = await pool.query<RegistryRow>(
    `select kind, name, revision, to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "appliedAt",
            managed_by as "managedBy"
       from roster_${sandbox}.resources order by kind, name`,
  );
  return rows;
}

async function expectStatusEqualsRegistry(sandbox: string): Promise<RegistryRow[]> {
  const rows = await registryRows(sandbox);
  const status = roster('status', '--sandbox', sandbox, '--format', 'json');
  expect(status.code, status.stderr).toBe(0);
  const shown = JSON.parse(status.stdout).resources as RegistryRow[];
  expect(
    shown.map(({ kind, name, revision, appliedAt, managedBy }) => ({ kind, name, revision, appliedAt, managedBy })),
  ).toEqual(rows);
  return rows;
}

interface StateResource {
  urn: string;
  type: string;
  parent?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

async function stateText(stack: string): Promise<string> {
  return fs.readFile(path.join(work, 'backend', '.pulumi', 'stacks', 'audiences', `${stack}.json`), 'utf8');
}

async function stateResources(stack: string): Promise<StateResource[]> {
  return (JSON.parse(await stateText(stack)).checkpoint.latest.resources ?? []) as StateResource[];
}

async function expectNoSecretInState(stack: string): Promise<void> {
  const state = await stateText(stack);
  expect(state).toContain('pulumi-nodejs:dynamic/roster:Segment');
  for (const value of [...Object.values(SECRETS), DB_PASSWORD]) expect(state.includes(value), value).toBe(false);
  expect(state).not.toContain('postgres://');
  expect(state).toMatch(/"roster:databaseUrl":\s*\{\s*"4dabf18193072939515e22adb298388d"/);
}

async function editFile(file: string, from: string, to: string): Promise<void> {
  const text = await fs.readFile(file, 'utf8');
  expect(text).toContain(from);
  await fs.writeFile(file, text.replace(from, to));
}

/** Holds a SHARE lock on the sandbox's registry table: a writer that got the sandbox lock waits on its first write. */
async function blockRegistryWrites(sandbox: string): Promise<() => Promise<void>> {
  const client = await pool.connect();
  await client.query('begin');
  await client.query(`lock table roster_${sandbox}.resources in share mode`);
  return async () => {
    await client.query('rollback');
    client.release();
  };
}

/** When the database's clock reads now: a lock taken after it is a new one. */
async function databaseNow(): Promise<Date> {
  return (await pool.query<{ now: Date }>('select now()')).rows[0]!.now;
}

/**
 * The holder of the sandbox's lock once one whose name starts with `prefix` took it after `after`.
 * (A Pulumi run's provider host ends without deleting its holder row; only the advisory lock says
 * whether the row is current, which is why `roster status` reads the row only while it is held.)
 */
async function waitForHolder(sandbox: string, prefix: string, after: Date): Promise<string> {
  return waitFor(
    async () => {
      const { rows } = await pool
        .query<{ holder: string }>(`select holder from roster_${sandbox}.apply_lock_holder where since > $1`, [after])
        .catch(() => ({ rows: [] as { holder: string }[] }));
      return rows[0]?.holder.startsWith(prefix) ? rows[0].holder : undefined;
    },
    `${prefix} to hold sandbox ${sandbox}`,
    300_000,
  );
}

function withPassword(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password) parsed.password = DB_PASSWORD;
  return parsed.toString();
}

beforeAll(async () => {
  if (!CLI) return;
  pool = await testPool(4);
  databaseUrl = withPassword(await testDatabaseUrl());
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-pulumi-package-'));
  project = path.join(work, 'audiences');
  await fs.mkdir(project);
  await fs.writeFile(
    path.join(project, 'package.json'),
    `${JSON.stringify({ name: 'audiences', version: '1.0.0', private: true }, null, 2)}\n`,
  );
  const packed = run('npm', ['pack', '--pack-destination', work, '--silent'], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = path.join(work, packed.stdout.trim().split('\n').pop()!);
  const installed = run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, '@pulumi/pulumi@3.248.0'],
    project,
  );
  expect(installed.code, installed.stderr).toBe(0);
  await fs.copyFile(path.join(FIXTURES, 'drive.js'), path.join(project, 'drive.js'));
  await fs.cp(path.join(ROOT, 'examples', 'acme'), path.join(project, 'acme'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`),
  });
  driveEnv = {
    ...SECRETS,
    HOME: process.env.HOME,
    // The provider host (`pulumi-resource-pulumi-nodejs`) is the project's own @pulumi/pulumi.
    PATH: [path.dirname(CLI), path.join(project, 'node_modules', '@pulumi', 'pulumi'), process.env.PATH].join(
      path.delimiter,
    ),
    PULUMI_HOME: path.join(work, 'pulumi-home'),
    PULUMI_BACKEND_URL: `file://${path.join(work, 'backend')}`,
    PULUMI_CONFIG_PASSPHRASE: 'roster-package-passphrase',
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
    E2E_PULUMI_ROOT: path.dirname(path.dirname(CLI)),
    E2E_ROSTER_DATABASE_URL: databaseUrl,
    // Leads nowhere: the providers must take the stack's secret config `roster:databaseUrl`.
    DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
  };
  await fs.mkdir(path.join(work, 'backend'));
  rosterEnv = { ...SECRETS, PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl };
}, TIMEOUT);

afterAll(async () => {
  if (!CLI) return;
  await dropSandboxes(pool, [filesStack, typedStack]);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

describe.skipIf(!CLI)('RosterProject from the installed package (automation API, real CLI, file backend)', () => {
  const acme = () => path.join(project, 'acme');
  const hotLeads = () => path.join(acme(), 'segments', 'hot-leads.yaml');

  it(
    'up creates every resource of examples/acme as children of the component named Kind/name; the registry equals roster status',
    async () => {
      const up = drive('up', filesStack, 'files');
      expect(up.ok, up.error).toBe(true);
      expect(up.summary!.resourceChanges).toEqual({ create: 16 }); // 14 resources, the component, the stack

      const rows = await expectStatusEqualsRegistry(filesStack);
      expect(rows).toHaveLength(14);
      expect(new Set(rows.map((row) => row.managedBy))).toEqual(new Set(['pulumi']));

      const state = await stateResources(filesStack);
      const component = state.find((r) => r.type === 'roster:index:RosterProject')!;
      expect(component.urn).toMatch(/::acme$/);
      const children = state.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/roster:'));
      expect(children.map((r) => r.urn.slice(r.urn.lastIndexOf('::') + 2)).sort()).toEqual(
        rows.map((row) => `${row.kind}/${row.name}`).sort(),
      );
      for (const child of children) expect(child.parent, child.urn).toBe(component.urn);
      // The serialized provider finds the runtime as the installed package, by name: no path of the
      // repository, or of the project, is in it.
      const provider = String(children[0]!.inputs!.__provider);
      expect(provider).toMatch(/require\(['"]roster-cdp\/provider-runtime['"]\)/);
      expect(provider).not.toContain(ROOT);
      expect(provider).not.toContain(work);
    },
    TIMEOUT,
  );

  it(
    'previews no changes (--expect-no-changes), and roster plan of the same files agrees',
    async () => {
      const preview = drive('preview', filesStack, 'files', { E2E_EXPECT_NO_CHANGES: '1' });
      expect(preview.ok, preview.error).toBe(true);
      expect(preview.changeSummary).toEqual({ same: 16 });
      const plan = roster('plan', acme(), '--sandbox', filesStack, '--no-impact');
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toBe(`No changes. Sandbox ${filesStack} matches the files (14 resources unchanged).\n`);
    },
    TIMEOUT,
  );

  it(
    'one edited condition: pulumi preview and roster plan agree on an update of that field, and up applies it',
    async () => {
      await editFile(hotLeads(), 'count: { gte: 3 }', 'count: { gte: 5 }');

      const preview = drive('preview', filesStack, 'files');
      expect(preview.ok, preview.error).toBe(true);
      expect(preview.changeSummary).toEqual({ same: 15, update: 1 });
      expect(preview.stdout).toContain('~ pulumi-nodejs:dynamic/roster:Segment: (update)');
      expect(preview.stdout).toContain('$pulumi-nodejs:dynamic/roster:Segment::Segment/hot-leads]');
      expect(preview.stdout).toMatch(/gte\s*:\s*3 => 5/);
      const changedInputs = [...preview.stdout!.matchAll(/^ {6}([~+-]) (\w+)\s*:/gm)].map((m) => `${m[1]} ${m[2]}`);
      expect(changedInputs).toEqual(['~ document', '~ specHash']);

      const plan = roster('plan', acme(), '--sandbox', filesStack, '--no-impact', '--format', 'json');
      expect(plan.code, plan.stderr).toBe(0);
      const changes = (JSON.parse(plan.stdout) as { changes: Record<string, unknown>[] }).changes;
      expect(
        changes.map(({ action, kind, name, managedByBefore }) => ({ action, kind, name, managedByBefore })),
      ).toEqual([{ action: 'update', kind: 'Segment', name: 'hot-leads', managedByBefore: 'pulumi' }]);
      expect(String(changes[0]!.diff)).toMatch(/^-.*gte: 3/m);
      expect(String(changes[0]!.diff)).toMatch(/^\+.*gte: 5/m);
      const text = roster('plan', acme(), '--sandbox', filesStack, '--no-impact');
      expect(text.stdout).toContain('~ update Segment/hot-leads (segments/hot-leads.yaml) [managed by Pulumi]\n');

      const up = drive('up', filesStack, 'files');
      expect(up.ok, up.error).toBe(true);
      expect(up.summary!.resourceChanges).toEqual({ same: 15, update: 1 });
      const { rows } = await pool.query(
        `select document #> '{spec,where,all,2,events,count}' as count, managed_by from roster_${filesStack}.resources
          where kind = 'Segment' and name = 'hot-leads'`,
      );
      expect(rows).toEqual([{ count: { gte: 5 }, managed_by: 'pulumi' }]);
    },
    TIMEOUT,
  );

  it(
    'roster apply while pulumi up holds the sandbox fails at once naming the holder; the up then completes, journalled',
    async () => {
      await editFile(hotLeads(), 'count: { gte: 5 }', 'count: { gte: 4 }');
      const started = await databaseNow();
      const unblock = await blockRegistryWrites(filesStack);
      const up = driveAsync('up', filesStack, 'files');
      try {
        const holder = await waitForHolder(filesStack, 'pulumi (', started);
        const apply = roster('apply', acme(), '--sandbox', filesStack, '--yes');
        expect(apply.code).toBe(1);
        expect(apply.stdout).toBe('');
        expect(apply.stderr).toMatch(
          new RegExp(
            `^APPLY_LOCKED sandbox ${filesStack} is locked by pulumi \\(\\S+@\\S+, pid \\d+\\) since \\d{4}-\\d\\d-\\d\\dT\\S+Z; wait for it to finish, or retry with --lock-timeout 5m\\n$`,
          ),
        );
        expect(apply.stderr).toContain(holder);
      } finally {
        await unblock();
      }
      const result = parseDrive(await up.done);
      expect(result.ok, result.error).toBe(true);
      expect(result.summary!.resourceChanges).toEqual({ same: 15, update: 1 });
      const { rows } = await pool.query(
        `select r.status as run, j.operation, j.status from roster_${filesStack}.apply_journal j
           join roster_${filesStack}.apply_runs r using (apply_id)
          where j.kind = 'Segment' and j.name = 'hot-leads' order by r.started_at desc, j.seq desc limit 1`,
      );
      expect(rows).toEqual([{ run: 'completed', operation: 'update', status: 'done' }]);
    },
    TIMEOUT,
  );

  it(
    'pulumi up while roster apply holds the sandbox fails at once naming the holder; roster leaves Pulumi-managed resources alone',
    async () => {
      const extra = path.join(work, 'extra');
      await fs.mkdir(extra, { recursive: true });
      await fs.writeFile(
        path.join(extra, 'roster-extra.yaml'),
        'apiVersion: roster/v1\nkind: Segment\nmetadata:\n  name: roster-extra\nspec:\n  subject: person\n  where: { attribute: email, op: exists }\n',
      );
      await editFile(hotLeads(), 'count: { gte: 4 }', 'count: { gte: 6 }');
      const started = await databaseNow();
      const unblock = await blockRegistryWrites(filesStack);
      const apply = rosterAsync('apply', extra, '--sandbox', filesStack, '--yes');
      try {
        await waitForHolder(filesStack, 'roster apply (', started);
        const up = drive('up', filesStack, 'files');
        expect(up.ok).toBe(false);
        expect(up.error).toMatch(
          new RegExp(
            `APPLY_LOCKED sandbox ${filesStack} is locked by roster apply \\(\\S+@\\S+, pid ${apply.child.pid}\\) since \\S+Z; Pulumi changed nothing in the sandbox: wait for it to finish, then run pulumi again`,
          ),
        );
      } finally {
        await unblock();
      }
      const applied = await apply.done;
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toContain(
        '! Destination/audience-exports (destinations/audience-exports.yaml) is managed by Pulumi; not deleted\n',
      );
      expect(applied.stdout).toContain(
        '  Remove them from the Pulumi program and run pulumi up, or pass --allow-delete-pulumi-managed to delete them here.\n',
      );
      expect(applied.stdout).toContain('1 to create, 0 to update, 0 to replace, 0 to delete');
      const rows = await registryRows(filesStack);
      expect(rows.filter((r) => r.managedBy === 'pulumi')).toHaveLength(14);
      expect(rows.filter((r) => r.managedBy === 'roster').map((r) => r.name)).toEqual(['roster-extra']);
      const hot = await pool.query(
        `select document #> '{spec,where,all,2,events,count}' as count from roster_${filesStack}.resources where name = 'hot-leads'`,
      );
      expect(hot.rows).toEqual([{ count: { gte: 4 } }]); // the refused up changed nothing

      // With the flag, the plan deletes them, and says whose they are.
      const allowed = roster('plan', extra, '--sandbox', filesStack, '--no-impact', '--allow-delete-pulumi-managed');
      expect(allowed.stdout).toContain('- delete Segment/hot-leads (segments/hot-leads.yaml) [managed by Pulumi]\n');
      expect(allowed.stdout).toContain('0 to create, 0 to update, 0 to replace, 14 to delete, 1 unchanged.');
      // roster destroy takes only what is its own.
      const destroyed = roster('destroy', '--sandbox', filesStack, '--yes');
      expect(destroyed.code, destroyed.stderr).toBe(0);
      expect((await registryRows(filesStack)).map((r) => r.managedBy)).toEqual(Array(14).fill('pulumi'));

      const again = drive('up', filesStack, 'files');
      expect(again.ok, again.error).toBe(true);
      expect(again.summary!.resourceChanges).toEqual({ same: 15, update: 1 });
    },
    TIMEOUT,
  );

  it(
    'destroy removes everything, and the state file holds no secret value',
    async () => {
      await expectNoSecretInState(filesStack);
      const destroy = drive('destroy', filesStack, 'files');
      expect(destroy.ok, destroy.error).toBe(true);
      expect(destroy.summary!.resourceChanges).toEqual({ delete: 16 });
      expect(await registryRows(filesStack)).toEqual([]);
      const after = await stateText(filesStack);
      for (const value of [...Object.values(SECRETS), DB_PASSWORD]) expect(after.includes(value), value).toBe(false);
    },
    TIMEOUT,
  );
});

describe.skipIf(!CLI)('typed classes in a TypeScript program, from the installed package', () => {
  const typedDir = () => path.join(project, 'typed');
  /** This program names its database itself (`databaseUrl`, a secret); the stack has no roster:databaseUrl. */
  const typed = (operation: string, env: NodeJS.ProcessEnv = {}) =>
    drive(operation, typedStack, 'typed', { E2E_ROSTER_DATABASE_URL: '', E2E_ARG_DATABASE_URL: databaseUrl, ...env });

  /** tsc of this repository, on the project's files, resolving roster-cdp and @pulumi/pulumi in its node_modules. */
  async function typecheck(file: string, emit: boolean): Promise<RosterResult> {
    const config = path.join(project, `tsconfig.${path.basename(file, '.ts')}.json`);
    const compilerOptions = {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      skipLibCheck: true,
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      types: ['node'],
      outDir: typedDir(),
      noEmit: !emit,
    };
    await fs.writeFile(config, JSON.stringify({ compilerOptions, files: [file] }));
    return run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], project);
  }

  it(
    'compiles against the declarations of the installed package, and a spec the schema forbids does not compile',
    async () => {
      for (const name of ['typed-program.ts', 'typed-mistake.ts'])
        await fs.copyFile(path.join(FIXTURES, name), path.join(project, name));
      const good = await typecheck('typed-program.ts', true);
      expect(good.code, good.stdout).toBe(0);
      // The example project's program (examples/pulumi/index.ts) compiles against the package as installed.
      await fs.copyFile(path.join(ROOT, 'examples', 'pulumi', 'index.ts'), path.join(project, 'example-index.ts'));
      const example = await typecheck('example-index.ts', false);
      expect(example.code, example.stdout).toBe(0);
      const bad = await typecheck('typed-mistake.ts', false);
      expect(bad.code).not.toBe(0);
      expect(bad.stdout).toMatch(
        /typed-mistake\.ts\(4,\d+\): error TS2322: Type '"lead"' is not assignable to type '("person" \| "account"|"account" \| "person")'/,
      );
    },
    TIMEOUT,
  );

  it(
    'up creates the declared segments in the stack sandbox; the registry equals roster status; a second preview has no changes',
    async () => {
      const up = typed('up');
      expect(up.ok, up.error).toBe(true);
      expect(up.summary!.resourceChanges).toEqual({ create: 3 });
      const rows = await expectStatusEqualsRegistry(typedStack);
      expect(rows.map((r) => `${r.kind}/${r.name} ${r.managedBy}`)).toEqual([
        'Segment/big-accounts pulumi',
        'Segment/people-at-big-accounts pulumi',
      ]);
      const { rows: docs } = await pool.query(
        `select document from roster_${typedStack}.resources where name = 'big-accounts'`,
      );
      expect(docs[0].document).toEqual({
        apiVersion: 'roster/v1',
        kind: 'Segment',
        metadata: {
          name: 'big-accounts',
          description: 'Accounts above a size, declared in TypeScript',
          labels: { team: 'abm' },
        },
        spec: { subject: 'account', where: { attribute: 'numberOfEmployees', op: 'gte', value: 500 } },
      });
      const preview = typed('preview', { E2E_EXPECT_NO_CHANGES: '1' });
      expect(preview.ok, preview.error).toBe(true);
      expect(preview.changeSummary).toEqual({ same: 3 });
    },
    TIMEOUT,
  );

  it(
    'a changed value in the program previews as an update of that field only, and applies',
    async () => {
      const preview = typed('preview', { E2E_THRESHOLD: '1000' });
      expect(preview.ok, preview.error).toBe(true);
      expect(preview.changeSummary).toEqual({ same: 2, update: 1 });
      expect(preview.stdout).toContain('::pulumi-nodejs:dynamic/roster:Segment::big-accounts]');
      expect(preview.stdout).toMatch(/value\s*:\s*500 => 1000/);
      const up = typed('up', { E2E_THRESHOLD: '1000' });
      expect(up.ok, up.error).toBe(true);
      expect(up.summary!.resourceChanges).toEqual({ same: 2, update: 1 });
      const { rows } = await pool.query(
        `select document #>> '{spec,where,value}' as value, revision from roster_${typedStack}.resources where name = 'big-accounts'`,
      );
      expect(rows).toEqual([{ value: '1000', revision: 2 }]);
    },
    TIMEOUT,
  );

  it(
    'refresh shows an edit made in the database; the database URL stays encrypted in the state throughout',
    async () => {
      await pool.query(
        `update roster_${typedStack}.resources set document = jsonb_set(document, '{metadata,description}', '"edited in SQL"')
          where name = 'big-accounts'`,
      );
      const refresh = typed('refresh', { E2E_THRESHOLD: '1000' });
      expect(refresh.ok, refresh.error).toBe(true);
      expect(refresh.summary!.resourceChanges).toEqual({ same: 2, update: 1 });
      const big = (await stateResources(typedStack)).find((r) => r.urn.endsWith('::big-accounts'))!;
      expect((big.outputs!.document as { metadata: { description: string } }).metadata.description).toBe(
        'edited in SQL',
      );
      const state = await stateText(typedStack);
      expect(state.includes(DB_PASSWORD)).toBe(false);
      expect(state).not.toContain('postgres://');
      expect(state).not.toMatch(/"roster:databaseUrl":/); // no stack config: only the resources' own input
      // Inputs and outputs of both segments, after the refresh too.
      expect(state.match(/"databaseUrl":\s*\{\s*"4dabf18193072939515e22adb298388d"/g)).toHaveLength(4);
    },
    TIMEOUT,
  );

  it(
    'destroy removes them; the state file held no secret value',
    async () => {
      const destroy = typed('destroy', { E2E_THRESHOLD: '1000' });
      expect(destroy.ok, destroy.error).toBe(true);
      expect(destroy.summary!.resourceChanges).toEqual({ delete: 3 });
      expect(await registryRows(typedStack)).toEqual([]);
    },
    TIMEOUT,
  );
});
