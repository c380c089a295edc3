import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden';
import { ROOT, roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

// `roster plan` must write nothing: no schema, no migration; it must work for a SELECT-only role.
const GOLDEN = path.join(__dirname, '..', 'golden', 'plan');
const role = `roster_ro_${uniqueSandbox('r')}`;
let pool: Pool;
let env: NodeJS.ProcessEnv;
let readOnlyEnv: NodeJS.ProcessEnv;
let work: string;
const sandboxes: string[] = [];

beforeAll(async () => {
  pool = await testPool();
  const url = await testDatabaseUrl();
  env = { DATABASE_URL: url };
  const readOnly = new URL(url);
  readOnly.username = role;
  readOnly.password = 'read-only';
  readOnlyEnv = { DATABASE_URL: readOnly.toString() };
  await pool.query(`create role ${role} login password 'read-only'`);
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-read-only-plan-'));
});

afterAll(async () => {
  await dropSandboxes(pool, sandboxes);
  await pool.query(`drop owned by ${role}`);
  await pool.query(`drop role ${role}`);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

function sandbox(): string {
  const name = uniqueSandbox();
  sandboxes.push(name);
  return name;
}

async function schemaCount(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from information_schema.schemata');
  return rows[0]!.n;
}

async function schemaExists(sb: string): Promise<boolean> {
  const { rows } = await pool.query('select 1 from pg_namespace where nspname = $1', [`roster_${sb}`]);
  return rows.length > 0;
}

async function grantSelect(sb: string): Promise<void> {
  await pool.query(`grant usage on schema roster_${sb} to ${role}`);
  await pool.query(`grant select on all tables in schema roster_${sb} to ${role}`);
}

describe('roster plan never writes', () => {
  it('reports a sandbox that does not exist, shows every resource as a create, and creates no schema', async () => {
    const sb = sandbox();
    const before = await schemaCount();
    const text = roster(['plan', 'examples/acme', '--sandbox', sb, '--detailed-exitcode'], env);
    expect(text.code).toBe(2);
    await expectGolden(text.stdout.replaceAll(sb, 'SANDBOX'), path.join(GOLDEN, 'missing-sandbox.txt'));
    const md = roster(['plan', 'examples/acme', '--sandbox', sb, '--format', 'markdown'], env);
    expect(md.stdout).toContain(`> **Note:** sandbox ${sb} does not exist; apply creates it.`);
    const json = JSON.parse(roster(['plan', 'examples/acme', '--sandbox', sb, '--format', 'json'], env).stdout);
    expect(json.summary.create).toBe(14);
    expect(json.database.sandboxExists).toBe(false);
    expect(json.database.impactSkipped).toBe('the sandbox has no data yet');
    expect(await schemaCount()).toBe(before);
    expect(await schemaExists(sb)).toBe(false);
  });

  it('reports pending migrations, skips the data impact, and runs none of them', async () => {
    const sb = sandbox();
    expect(roster(['apply', 'examples/acme', '--sandbox', sb, '--yes'], env).code).toBe(0);
    // Pretend the last four migrations are new since this sandbox was applied.
    await pool.query(`delete from roster_${sb}.schema_migrations where version > 8`);
    const text = roster(['plan', 'examples/acme', '--sandbox', sb], env);
    expect(text.code).toBe(0);
    await expectGolden(text.stdout.replaceAll(sb, 'SANDBOX'), path.join(GOLDEN, 'pending-migrations.txt'));
    const md = roster(['plan', 'examples/acme', '--sandbox', sb, '--format', 'markdown'], env);
    await expectGolden(md.stdout.replaceAll(sb, 'SANDBOX'), path.join(GOLDEN, 'pending-migrations.md'));
    const json = JSON.parse(roster(['plan', 'examples/acme', '--sandbox', sb, '--format', 'json'], env).stdout);
    expect(json.database).toEqual({
      sandboxExists: true,
      pendingMigrations: [
        '0009_marketo_instances.sql',
        '0010_stitch_conversion_index.sql',
        '0011_delivery_lease.sql',
        '0012_stitch_lookup_indexes.sql',
      ],
      impactSkipped: 'the sandbox tables are not up to date',
    });
    const { rows } = await pool.query(`select count(*)::int as n from roster_${sb}.schema_migrations`);
    expect(rows[0].n).toBe(8);
  });
});

describe('roster plan with a SELECT-only role', () => {
  it('plans an edited segment with its data impact, and a missing sandbox, without permission errors', async () => {
    const sb = sandbox();
    const dir = path.join(work, 'acme');
    await fs.cp(path.join(ROOT, 'examples', 'acme'), dir, { recursive: true });
    expect(roster(['apply', dir, '--sandbox', sb, '--yes'], env).code).toBe(0);
    await grantSelect(sb);
    const unchanged = roster(['plan', dir, '--sandbox', sb, '--detailed-exitcode'], readOnlyEnv);
    expect(unchanged.stderr).toBe('');
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toBe(`No changes. Sandbox ${sb} matches the files (14 resources unchanged).\n`);

    const file = path.join(dir, 'segments', 'hot-leads.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace(/^( *description: ).*$/m, '$1edited'));
    const plan = roster(['plan', dir, '--sandbox', sb, '--format', 'json', '--detailed-exitcode'], readOnlyEnv);
    expect(plan.stderr).not.toContain('permission denied');
    expect(plan.code).toBe(2);
    const json = JSON.parse(plan.stdout);
    expect(json.changes.map((c: { action: string; name: string }) => `${c.action} ${c.name}`)).toEqual([
      'update hot-leads',
    ]);
    expect(json.changes[0].impact).toEqual({ sizeBefore: 0, sizeAfter: 0, entered: 0, exited: 0 });
    expect(json.database).toEqual({ sandboxExists: true, pendingMigrations: [], impactSkipped: null });

    const missing = sandbox();
    const absent = roster(['plan', 'examples/acme', '--sandbox', missing, '--detailed-exitcode'], readOnlyEnv);
    expect(absent.stderr).toBe('');
    expect(absent.code).toBe(2);
    expect(await schemaExists(missing)).toBe(false);
  });
});
