import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigDir } from '../support/config-dir';
import { expectGolden } from '../support/golden';
import { ROOT, roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const PROJECT = path.join(__dirname, '..', 'fixtures', 'audience-test', 'project');
const GOLDEN = path.join(__dirname, '..', 'golden', 'audience-test');
let pool: Pool;
let env: NodeJS.ProcessEnv;

/** Test sandboxes present now: each run must leave none behind. */
const testSchemas = async () =>
  (await pool.query(`select count(*)::int as n from pg_namespace where nspname like 'roster\\_test\\_%'`)).rows[0]
    .n as number;

/** `roster test .` in the fixture project, so the paths in the output are the same on every machine. */
const rosterTest = (args: string[]) => roster(['test', '.', ...args], env, PROJECT);

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
});

afterAll(async () => {
  await pool.end();
});

describe('roster test', () => {
  it('passes a test whose segments hold exactly the expected members, exit 0, sandbox dropped', async () => {
    const before = await testSchemas();
    const result = rosterTest(['--filter', 'leaders-pass']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    await expectGolden(result.stdout, path.join(GOLDEN, 'pass.txt'));
    expect(await testSchemas()).toBe(before);
  });

  it('fails a test with the members missing and extra, and the fixture records quarantined, exit 1, sandbox dropped', async () => {
    const before = await testSchemas();
    const result = rosterTest(['--filter', 'leaders-fail']);
    expect(result.code).toBe(1);
    await expectGolden(result.stdout, path.join(GOLDEN, 'fail.txt'));
    expect(await testSchemas()).toBe(before);
  });

  it("evaluates time windows at the test's own `now`, with events loaded from an NDJSON file", () => {
    const result = rosterTest(['--filter', 'visitors']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pass Segment/recent-visitors: 1 member, as expected');
  });

  it('reports every test as JUnit XML for CI, and as JSON, written to --output', async () => {
    const junit = rosterTest(['--format', 'junit']);
    expect(junit.code).toBe(1);
    await expectGolden(junit.stdout, path.join(GOLDEN, 'report.junit.xml'));
    const dir = await writeConfigDir({});
    const output = path.join(dir, 'report.json');
    const json = rosterTest(['--format', 'json', '--output', output]);
    expect(json.code).toBe(1);
    expect(json.stdout).toBe('');
    await expectGolden(await fs.readFile(output, 'utf8'), path.join(GOLDEN, 'report.json'));
    expect(JSON.parse(await fs.readFile(output, 'utf8'))).toMatchObject({ passed: false, summary: { tests: 3 } });
  });

  it('refuses a malformed test file with located CONFIG_TEST errors, exit 2, running nothing', async () => {
    const dir = await writeConfigDir({
      'crm.yaml': await fs.readFile(path.join(PROJECT, 'crm.yaml'), 'utf8'),
      'segments/leaders.yaml': await fs.readFile(path.join(PROJECT, 'segments', 'leaders.yaml'), 'utf8'),
      'segments/german-leaders.yaml': await fs.readFile(path.join(PROJECT, 'segments', 'german-leaders.yaml'), 'utf8'),
      'export.yaml': await fs.readFile(path.join(PROJECT, 'export.yaml'), 'utf8'),
      'site.yaml': await fs.readFile(path.join(PROJECT, 'site.yaml'), 'utf8'),
      'tests/bad.yaml': `apiVersion: roster/v1
kind: AudienceTest
metadata: { name: bad }
spec:
  data:
    - { source: crm, object: people, records: [] }
  expect:
    - { segment: leaders, members: ada@acme.example }
`,
      'tests/unknown.yaml': `apiVersion: roster/v1
kind: AudienceTest
metadata: { name: unknown }
spec:
  data:
    - { source: crn, object: people, records: [] }
    - { source: crm, object: persons, records: [] }
    - { source: crm, object: people, file: missing.csv }
    - { source: crm, object: people, records: [], file: people.csv }
  expect:
    - { segment: leader, members: [ada@acme.example] }
  activations:
    - { destination: leaders-exprt, members: [] }
`,
    });
    const before = await testSchemas();
    const result = roster(['test', '.'], env, dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    await expectGolden(result.stderr, path.join(GOLDEN, 'malformed.txt'));
    expect(await testSchemas()).toBe(before);
  });

  it('leaves test files out of validate and plan: they are not resources', async () => {
    const result = roster(['validate', PROJECT], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('7 resources in');
    const sandbox = uniqueSandbox('rtest');
    try {
      const plan = roster(['plan', PROJECT, '--sandbox', sandbox, '--format', 'json', '--no-impact'], env);
      expect(plan.code).toBe(0);
      const keys = JSON.parse(plan.stdout).changes.map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`);
      expect(keys.sort()).toEqual([
        'Destination/leaders-export',
        'IdentityMapping/ids',
        'Segment/german-leaders',
        'Segment/leaders',
        'Segment/recent-visitors',
        'Source/crm',
        'Source/site',
      ]);
    } finally {
      await dropSandboxes(pool, [sandbox]);
    }
  });

  it('documents itself with --help', () => {
    const result = roster(['test', '--help'], env);
    expect(result.code).toBe(0);
    for (const option of ['--format <format>', 'text, json, junit', '--output <file>', '--filter <name>'])
      expect(result.stdout).toContain(option);
  });

  it("passes the example project's own tests (examples/acme/tests)", () => {
    const result = roster(['test', 'examples/acme'], env, ROOT);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'PASS AudienceTest/enterprise-audiences (examples/acme/tests/enterprise-audiences.yaml)',
    );
    expect(result.stdout).toContain('1 test, 1 passed, 0 failed; 3 expectations, 0 failed.');
  });
});
