import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden';
import { ROOT, roster } from '../support/run-roster';
import { useSandboxes } from '../support/use-sandboxes';

// `roster plan --out` saves what a reviewer approved; `roster apply FILE` applies exactly that or refuses.
const GOLDEN = path.join(__dirname, '..', 'golden', 'saved-plan');
const db = useSandboxes('roster-saved-plan-');

/** A sandbox and a private copy of examples/acme (without data) in the directory `roster` runs in. */
async function acmeProject(): Promise<{ sandbox: string; cwd: string }> {
  const { sandbox, dir } = await db.create('sp');
  await fs.cp(path.join(ROOT, 'examples', 'acme'), path.join(dir, 'acme'), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`) && !src.includes(`${path.sep}tests`),
  });
  return { sandbox, cwd: dir };
}

async function editFile(cwd: string, file: string, from: string | RegExp, to: string): Promise<void> {
  const full = path.join(cwd, 'acme', file);
  const text = await fs.readFile(full, 'utf8');
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  await fs.writeFile(full, edited);
}

async function registry(sandbox: string) {
  const { rows } = await db.pool.query<{ key: string; revision: number }>(
    `select kind || '/' || name as key, revision from roster_${sandbox}.resources order by kind, name`,
  );
  return rows;
}

describe('roster plan --out and roster apply FILE', () => {
  it('applies the saved plan to its sandbox without asking, and a second apply of it is refused as stale', async () => {
    const { sandbox, cwd } = await acmeProject();
    const plan = roster(['plan', 'acme', '--sandbox', sandbox, '--out', 'plan.json'], db.env, cwd);
    expect(plan.code).toBe(0);
    expect(plan.stderr).toBe('Saved the plan to plan.json; roster apply plan.json applies exactly this plan.\n');
    const apply = roster(['apply', 'plan.json'], db.env, cwd);
    expect(apply.stderr).toContain('[14/14] create Destination/sales-alerts ... done');
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Apply complete: 14 created, 0 updated, 0 replaced, 0 deleted');
    const rows = await registry(sandbox);
    expect(rows).toHaveLength(14);
    const elsewhere = roster(['apply', 'plan.json', '--sandbox', 'prod'], db.env, cwd);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toBe(
      `PLAN_FILE plan.json was made for sandbox ${sandbox}, not prod; nothing was applied: make a plan for prod with roster plan --sandbox prod --out FILE\n`,
    );
    expect(rows.every((r) => r.revision === 1)).toBe(true);

    const again = roster(['apply', 'plan.json'], db.env, cwd);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /^APPLY_STALE_PLAN plan\.json no longer matches what it was planned against: the sandbox was created in the runtime; nothing was applied/,
    );
  });

  it('refuses a plan whose files changed since, naming the resource and the file, and applies nothing', async () => {
    const { sandbox, cwd } = await acmeProject();
    expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes'], db.env, cwd).code).toBe(0);
    await editFile(cwd, 'segments/hot-leads.yaml', 'within: 14d', 'within: 10d');
    expect(roster(['plan', 'acme', '--sandbox', sandbox, '--out', 'plan.json'], db.env, cwd).code).toBe(0);
    await editFile(cwd, 'segments/hot-leads.yaml', 'within: 10d', 'within: 9d');
    await fs.rm(path.join(cwd, 'acme', 'destinations', 'marketo-nurture.yaml'));
    const apply = roster(['apply', 'plan.json'], db.env, cwd);
    expect(apply.code).toBe(1);
    expect(apply.stdout).toBe('');
    expect(apply.stderr).toBe(
      'APPLY_STALE_PLAN plan.json no longer matches what it was planned against: Segment/hot-leads changed in the files (segments/hot-leads.yaml); Destination/marketo-nurture was removed from the files (was in destinations/marketo-nurture.yaml); nothing was applied: make a new plan with roster plan --out plan.json, review it, and apply that\n',
    );
    expect((await registry(sandbox)).every((r) => r.revision === 1)).toBe(true);
  });

  it('refuses a plan when another apply changed the runtime in between', async () => {
    const { sandbox, cwd } = await acmeProject();
    expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes'], db.env, cwd).code).toBe(0);
    await editFile(cwd, 'segments/hot-leads.yaml', 'within: 14d', 'within: 10d');
    expect(roster(['plan', 'acme', '--sandbox', sandbox, '--out', 'plan.json'], db.env, cwd).code).toBe(0);
    // Someone applies the same files meanwhile (say, a second pipeline run): the plan's "before" is gone.
    expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes'], db.env, cwd).code).toBe(0);
    const apply = roster(['apply', 'plan.json'], db.env, cwd);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe(
      'APPLY_STALE_PLAN plan.json no longer matches what it was planned against: Segment/hot-leads changed in the runtime (revision 1 -> 2); nothing was applied: make a new plan with roster plan --out plan.json, review it, and apply that\n',
    );
    const { rows } = await db.pool.query(
      `select count(*)::int as n from roster_${sandbox}.resource_revisions where kind = 'Segment' and name = 'hot-leads'`,
    );
    expect(rows[0].n).toBe(2);
  });

  it('refuses a plan file edited by hand', async () => {
    const { sandbox, cwd } = await acmeProject();
    expect(roster(['plan', 'acme', '--sandbox', sandbox, '--out', 'plan.json'], db.env, cwd).code).toBe(0);
    const file = path.join(cwd, 'plan.json');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('within: 14d', 'within: 1d'));
    const apply = roster(['apply', 'plan.json'], db.env, cwd);
    expect(apply.code).toBe(1);
    expect(apply.stderr).toBe(
      'PLAN_FILE plan.json does not match its hash: it was edited after roster plan wrote it; make a new plan\n',
    );
    const { rows } = await db.pool.query('select 1 from pg_namespace where nspname = $1', [`roster_${sandbox}`]);
    expect(rows).toHaveLength(0);
  });

  it('keeps secrets out of the file: only their references are saved', async () => {
    const { sandbox, cwd } = await acmeProject();
    const env = { ...db.env, SALES_WEBHOOK_SECRET: 'hunter2-sales-webhook', ACME_EVENTS_TOKEN: 'hunter2-events' };
    expect(roster(['plan', 'acme', '--sandbox', sandbox, '--out', 'plan.json'], env, cwd).code).toBe(0);
    const text = await fs.readFile(path.join(cwd, 'plan.json'), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('secret://SALES_WEBHOOK_SECRET');
  });

  it('shows a saved plan as text, markdown and json, as roster plan renders it', async () => {
    const { sandbox, cwd } = await acmeProject();
    expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes'], db.env, cwd).code).toBe(0);
    await editFile(cwd, 'segments/hot-leads.yaml', 'within: 14d', 'within: 10d');
    const plan = roster(
      ['plan', 'acme', '--sandbox', sandbox, '--out', 'plan.json', '--format', 'markdown'],
      db.env,
      cwd,
    );
    for (const format of ['text', 'markdown', 'json']) {
      const show = roster(['show', 'plan.json', '--format', format], db.env, cwd);
      expect(show.code).toBe(0);
      const ext = { text: 'txt', markdown: 'md', json: 'json' }[format];
      await expectGolden(show.stdout.replaceAll(sandbox, 'SANDBOX'), path.join(GOLDEN, `show.${ext}`));
    }
    expect(roster(['show', 'plan.json', '--format', 'markdown'], {}, cwd).stdout).toBe(plan.stdout);
    const missing = roster(['show', 'nowhere.json'], {}, cwd);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'PLAN_FILE nowhere.json: cannot read it (ENOENT); pass the file roster plan --out wrote\n',
    );
  });
});
