import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

let pool: Pool;
let env: NodeJS.ProcessEnv;
let work: string;
const sandboxes: string[] = [];

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-plan-apply-'));
});

afterAll(async () => {
  await dropSandboxes(pool, sandboxes);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

/** A private copy of examples/acme that a test may edit. */
async function acmeCopy(name: string): Promise<string> {
  const dir = path.join(work, name);
  await fs.cp(path.join(ROOT, 'examples', 'acme'), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`),
  });
  return dir;
}

function sandbox(): string {
  const name = uniqueSandbox();
  sandboxes.push(name);
  return name;
}

async function revisions(sb: string) {
  const { rows } = await pool.query<{ key: string; revision: number; operation: string }>(
    `select kind || '/' || name as key, revision, operation from roster_${sb}.resource_revisions order by kind, name, revision`,
  );
  return rows;
}

describe('roster plan and apply on examples/acme', () => {
  it('applies everything, then plans no changes (exit 0 with --detailed-exitcode)', async () => {
    const sb = sandbox();
    const first = roster(['plan', 'examples/acme', '--sandbox', sb, '--detailed-exitcode'], env);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain(
      `Plan for sandbox ${sb}: 14 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged.`,
    );
    const apply = roster(['apply', 'examples/acme', '--sandbox', sb, '--yes'], env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 14 created, 0 updated, 0 replaced, 0 deleted');
    expect(apply.stderr).toContain('[14/14] create Destination/sales-alerts ... done');
    const { rows } = await pool.query(
      `select kind, name, revision, managed_by from roster_${sb}.resources order by kind, name`,
    );
    expect(rows).toHaveLength(14);
    expect(rows.every((r) => r.revision === 1 && r.managed_by === 'roster')).toBe(true);
    const again = roster(['plan', 'examples/acme', '--sandbox', sb, '--detailed-exitcode'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`No changes. Sandbox ${sb} matches the files (14 resources unchanged).\n`);
  });

  it('plans exactly one update with its diff for one edited segment, a delete for a removed file, delete + create for a rename', async () => {
    const sb = sandbox();
    const dir = await acmeCopy('edits');
    expect(roster(['apply', dir, '--sandbox', sb, '--yes'], env).code).toBe(0);
    const segment = path.join(dir, 'segments', 'buying-committee.yaml');
    await fs.writeFile(segment, (await fs.readFile(segment, 'utf8')).replace('value: 100000', 'value: 250000'));
    await fs.rm(path.join(dir, 'destinations', 'marketo-nurture.yaml'));
    const dormant = path.join(dir, 'segments', 'dormant-leads.yaml');
    await fs.writeFile(
      dormant,
      (await fs.readFile(dormant, 'utf8')).replace('name: dormant-leads', 'name: sleeping-leads'),
    );
    const plan = roster(['plan', dir, '--sandbox', sb, '--format', 'json', '--detailed-exitcode'], env);
    expect(plan.code).toBe(2);
    const json = JSON.parse(plan.stdout);
    expect(json.summary).toEqual({ create: 1, update: 1, replace: 0, delete: 2, unchanged: 11 });
    expect(
      json.changes.map((c: { action: string; kind: string; name: string }) => `${c.action} ${c.kind}/${c.name}`),
    ).toEqual([
      'update Segment/buying-committee',
      'create Segment/sleeping-leads',
      'delete Destination/marketo-nurture',
      'delete Segment/dormant-leads',
    ]);
    expect(json.changes[0].diff).toContain('-            value: 100000\n+            value: 250000');
    const text = roster(['plan', dir, '--sandbox', sb], env).stdout;
    expect(text).toContain('~ update Segment/buying-committee (segments/buying-committee.yaml)');
    expect(text).toContain('- delete Destination/marketo-nurture (destinations/marketo-nurture.yaml)');
  });

  it('does not report key order or formatting as a change', async () => {
    const sb = sandbox();
    const dir = await acmeCopy('reordered');
    expect(roster(['apply', dir, '--sandbox', sb, '--yes'], env).code).toBe(0);
    const file = path.join(dir, 'segments', 'email-engaged-30d.yaml');
    await fs.writeFile(
      file,
      'apiVersion: roster/v1\nkind: Segment\nspec: { where: { events: { count: { gte: 3 }, within: 30d, type: email.opened } }, subject: person }\nmetadata: { description: Opened at least three emails in the last 30 days., labels: { team: demand-gen }, name: email-engaged-30d }\n',
    );
    expect(roster(['plan', dir, '--sandbox', sb, '--detailed-exitcode'], env).code).toBe(0);
  });

  it('keeps sandboxes apart: applying dev changes nothing in prod, and plan --sandbox prod shows the promotion', async () => {
    const dev = sandbox();
    const prod = sandbox();
    const dir = await acmeCopy('promotion');
    expect(roster(['apply', dir, '--sandbox', prod, '--yes'], env).code).toBe(0);
    const segment = path.join(dir, 'segments', 'hot-leads.yaml');
    await fs.writeFile(segment, (await fs.readFile(segment, 'utf8')).replace('within: 14d', 'within: 10d'));
    expect(roster(['apply', dir, '--sandbox', dev, '--yes'], env).code).toBe(0);
    const prodRevisions = await revisions(prod);
    expect(prodRevisions.every((r) => r.revision === 1 && r.operation === 'create')).toBe(true);
    const promotion = JSON.parse(roster(['plan', dir, '--sandbox', prod, '--format', 'json'], env).stdout);
    expect(promotion.changes.map((c: { action: string; name: string }) => `${c.action} ${c.name}`)).toEqual([
      'update hot-leads',
    ]);
    expect(roster(['plan', dir, '--sandbox', dev, '--detailed-exitcode'], env).code).toBe(0);
  });

  it('destroys a sandbox dependents first and records delete revisions', async () => {
    const sb = sandbox();
    expect(roster(['apply', 'examples/acme', '--sandbox', sb, '--yes'], env).code).toBe(0);
    const destroy = roster(['destroy', '--sandbox', sb, '--yes'], env);
    expect(destroy.code).toBe(0);
    const order = [...destroy.stderr.matchAll(/\] delete (\S+) \.\.\. done/g)].map((m) => m[1]);
    expect(order).toHaveLength(14);
    expect(order.indexOf('Destination/sales-alerts')).toBeLessThan(order.indexOf('Segment/hot-leads'));
    expect(order.indexOf('Segment/engaged-enterprise')).toBeLessThan(order.indexOf('Segment/hot-leads'));
    expect(order.indexOf('IdentityMapping/acme-identity')).toBeLessThan(order.indexOf('Source/marketo'));
    const { rows } = await pool.query(`select count(*)::int as n from roster_${sb}.resources`);
    expect(rows[0].n).toBe(0);
    expect((await revisions(sb)).filter((r) => r.operation === 'delete')).toHaveLength(14);
  });

  it('refuses to apply without --yes when there is no terminal, changing nothing', async () => {
    const sb = sandbox();
    const result = roster(['apply', 'examples/acme', '--sandbox', sb], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'APPLY_CONFIRM not applying: confirmation is needed and there is no terminal to ask; review the plan above and run again with --yes',
    );
    const { rows } = await pool.query(`select count(*)::int as n from roster_${sb}.resources`);
    expect(rows[0].n).toBe(0);
  });

  it('prints a markdown plan for pull requests with a summary table and collapsible diffs', async () => {
    const sb = sandbox();
    const md = roster(['plan', 'examples/acme', '--sandbox', sb, '--format', 'markdown'], env).stdout;
    expect(md).toContain(`### Roster plan for sandbox \`${sb}\``);
    expect(md).toContain('| 14 | 0 | 0 | 0 | 0 |');
    expect(md).toContain('<details><summary>create <code>Source/marketo</code></summary>');
    expect(md).toContain('[secret]');
    expect(md).not.toContain('secret://');
  });
});
