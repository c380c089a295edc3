import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roster } from '../support/run-roster';
import { uniqueSandbox } from '../support/test-database';
import { useSandboxes } from '../support/use-sandboxes';

// `roster status` and `segment preview` read: they create no sandbox, run no migration, and work for a SELECT-only role.
const db = useSandboxes('roster-read-only-commands-');
const role = `roster_ro_${uniqueSandbox('s')}`;
let readOnlyEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  const url = new URL(db.env.DATABASE_URL!);
  url.username = role;
  url.password = 'read-only';
  readOnlyEnv = { DATABASE_URL: url.toString() };
  await db.pool.query(`create role ${role} login password 'read-only'`);
});

afterAll(async () => {
  await db.pool.query(`drop owned by ${role}`);
  await db.pool.query(`drop role ${role}`);
});

const schemaExists = async (sandbox: string) =>
  (await db.pool.query('select 1 from pg_namespace where nspname = $1', [`roster_${sandbox}`])).rows.length > 0;

describe('roster status never writes', () => {
  it('reports a sandbox that does not exist without creating it', async () => {
    const { sandbox } = await db.create('st');
    const status = roster(['status', '--sandbox', sandbox], db.env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(`^Sandbox ${sandbox} \\(.*\\) does not exist; roster apply creates it\\.\\n$`),
    );
    const json = JSON.parse(roster(['status', '--sandbox', sandbox, '--format', 'json'], db.env).stdout);
    expect(json).toMatchObject({ sandboxExists: false, resources: [], drift: [] });
    expect(await schemaExists(sandbox)).toBe(false);
  });

  it('reports pending migrations without running them, and answers a SELECT-only role', async () => {
    const { sandbox, dir } = await db.create('st');
    expect(roster(['apply', 'examples/acme', '--sandbox', sandbox, '--yes', '--no-evaluate'], db.env).code).toBe(0);
    await db.pool.query(`delete from roster_${sandbox}.schema_migrations where version > 8`);
    const status = roster(['status', '--sandbox', sandbox], db.env, dir);
    expect(status.stdout).toContain(': 14 applied resource(s).\n4 migrations pending; roster apply runs them.\n');
    const { rows } = await db.pool.query(`select count(*)::int as n from roster_${sandbox}.schema_migrations`);
    expect(rows[0].n).toBe(8);
    await db.pool.query(`grant usage on schema roster_${sandbox} to ${role}`);
    await db.pool.query(`grant select on all tables in schema roster_${sandbox} to ${role}`);
    const readOnly = roster(['status', '--sandbox', sandbox, '--format', 'json'], readOnlyEnv, dir);
    expect(readOnly.stderr).toBe('');
    expect(readOnly.code).toBe(0);
    expect(JSON.parse(readOnly.stdout).resources).toHaveLength(14);
  });
});

describe('roster segment preview never writes', () => {
  it('refuses to preview against a sandbox that does not exist, and creates none', async () => {
    const { sandbox } = await db.create('pv');
    const file = 'examples/acme/segments/hot-leads.yaml';
    const preview = roster(['segment', 'preview', file, '--sandbox', sandbox], db.env);
    expect(preview.code).toBe(1);
    expect(preview.stderr).toBe(
      `SEGMENT_PREVIEW sandbox ${sandbox} does not exist, so there is no data to preview against; roster apply --sandbox ${sandbox} creates it\n`,
    );
    expect(await schemaExists(sandbox)).toBe(false);
  });

  it('previews an applied segment for a SELECT-only role', async () => {
    const { sandbox } = await db.create('pv');
    expect(roster(['apply', 'examples/acme', '--sandbox', sandbox, '--yes', '--no-evaluate'], db.env).code).toBe(0);
    await db.pool.query(`grant usage on schema roster_${sandbox} to ${role}`);
    await db.pool.query(`grant select on all tables in schema roster_${sandbox} to ${role}`);
    const preview = roster(['segment', 'preview', 'hot-leads', '--sandbox', sandbox, '--format', 'json'], readOnlyEnv);
    expect(preview.stderr).toBe('');
    expect(JSON.parse(preview.stdout)).toMatchObject({ segment: 'hot-leads', sizeBefore: 0, sizeAfter: 0 });
  });
});
