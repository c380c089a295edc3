import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const sandbox = uniqueSandbox('preview');
let pool: Pool;
let env: NodeJS.ProcessEnv;
let dir: string;

const segment = (title: string) => `apiVersion: roster/v1
kind: Segment
metadata: { name: leaders }
spec:
  subject: person
  where: { attribute: jobTitle, op: contains, value: ${title} }
`;

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  dir = await writeConfigDir({
    ...crmPeopleConfig(),
    'segments/leaders.yaml': segment('VP'),
  });
  await fs.mkdir(path.join(dir, 'data'));
  await fs.writeFile(
    path.join(dir, 'data', 'people.csv'),
    'id,email,title\n1,ada@acme.example,VP Engineering\n2,bob@acme.example,Director of Sales\n3,cy@acme.example,vp marketing\n4,di@acme.example,Analyst\n',
  );
  for (const args of [
    ['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'],
    ['source', 'run', 'crm', '--sandbox', sandbox],
    ['segment', 'run', 'leaders', '--sandbox', sandbox],
  ]) {
    expect(roster(args, env).code).toBe(0);
  }
  await fs.writeFile(path.join(dir, 'segments', 'leaders.yaml'), segment('Director'));
});

afterAll(async () => {
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

const historyCount = async () =>
  (await pool.query(`select count(*)::int as n from roster_${sandbox}.segment_membership_history`)).rows[0].n as number;

describe('data impact before applying', () => {
  it('roster plan shows the size before and after and who would enter and exit, writing nothing', async () => {
    const before = await historyCount();
    const plan = JSON.parse(roster(['plan', dir, '--sandbox', sandbox, '--format', 'json'], env).stdout);
    expect(plan.changes).toHaveLength(1);
    expect(plan.changes[0]).toMatchObject({
      action: 'update',
      name: 'leaders',
      impact: { sizeBefore: 2, sizeAfter: 1, entered: 1, exited: 2 },
    });
    const markdown = roster(['plan', dir, '--sandbox', sandbox, '--format', 'markdown'], env).stdout;
    expect(markdown).toContain('| `leaders` | changed | 2 | 1 | +1 | -2 |');
    expect(await historyCount()).toBe(before);
  });

  it('roster segment preview evaluates an unapplied file read-only, with a sample', async () => {
    const before = await historyCount();
    const result = roster(
      ['segment', 'preview', path.join(dir, 'segments', 'leaders.yaml'), '--sandbox', sandbox, '--format', 'json'],
      env,
    );
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview).toMatchObject({
      segment: 'leaders',
      sizeBefore: 2,
      sizeAfter: 1,
      entered: 1,
      exited: 2,
      evaluation: { mode: 'streaming' },
    });
    expect(preview.sample.map((m: { label: string }) => m.label)).toEqual(['bob@acme.example']);
    expect(await historyCount()).toBe(before);
  });
});

describe('roster segment explain', () => {
  it('says why a person is or is not a member, branch by branch', async () => {
    const ids = Object.fromEntries(
      (await pool.query(`select email, id::int from roster_${sandbox}.persons`)).rows.map((r) => [r.email, r.id]),
    );
    const explain = (email: string) =>
      JSON.parse(
        roster(
          ['segment', 'explain', 'leaders', '--sandbox', sandbox, '--person', String(ids[email]), '--format', 'json'],
          env,
        ).stdout,
      );
    // The applied revision is still `contains VP` (the file edit above was never applied).
    expect(explain('ada@acme.example')).toMatchObject({
      member: true,
      tree: { held: true, description: 'jobTitle contains "VP"', pointer: '/spec/where' },
    });
    expect(explain('di@acme.example')).toMatchObject({ member: false, tree: { held: false } });
    const missing = roster(['segment', 'explain', 'leaders', '--sandbox', sandbox, '--person', '999999'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('SUBJECT_NOT_FOUND no person 999999');
  });
});

describe('roster segment sizes', () => {
  it('lists the size after each run with its entries and exits', () => {
    const sizes = JSON.parse(
      roster(['segment', 'sizes', 'leaders', '--sandbox', sandbox, '--format', 'json'], env).stdout,
    );
    expect(
      sizes.runs.map((r: { mode: string; size: number; entered: number; exited: number }) => [
        r.mode,
        r.size,
        r.entered,
        r.exited,
      ]),
    ).toEqual([
      ['batch', 2, 0, 0], // newest first: the batch run found nothing new...
      ['streaming', 2, 2, 0], // ...because the source run had already streamed both leaders in
    ]);
    expect(roster(['segment', 'sizes', 'leaders', '--sandbox', sandbox, '--limit', 'x'], env)).toMatchObject({
      code: 2,
    });
  });
});
