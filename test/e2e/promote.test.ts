import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, roster } from '../support/run-roster';
import { useSandboxes } from '../support/use-sandboxes';

// Promotion moves only what was proven in the previous sandbox: applied there as the files say, and evaluated.
const db = useSandboxes('roster-promote-');

async function hotLeads(sandbox: string) {
  const { rows } = await db.pool.query<{ revision: number; specHash: string }>(
    `select revision, spec_hash as "specHash" from roster_${sandbox}.resources where kind = 'Segment' and name = 'hot-leads'`,
  );
  return rows[0];
}

describe('roster promote --from dev --to prod', () => {
  it('refuses until the change was applied and evaluated in dev, then shows and applies it to prod', async () => {
    const { sandbox: dev, dir } = await db.create('dev');
    const { sandbox: prod } = await db.create('prod');
    await fs.cp(path.join(ROOT, 'examples', 'acme'), path.join(dir, 'acme'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}data`) && !src.includes(`${path.sep}tests`),
    });
    for (const sandbox of [dev, prod])
      expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes', '--no-evaluate'], db.env, dir).code).toBe(0);
    const file = path.join(dir, 'acme', 'segments', 'hot-leads.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('within: 14d', 'within: 10d'));
    const promote = ['promote', 'acme', '--from', dev, '--to', prod, '--no-impact'];

    const untried = roster(promote, db.env, dir);
    expect(untried.code).toBe(1);
    expect(untried.stdout).toContain('~ update Segment/hot-leads (segments/hot-leads.yaml)');
    expect(untried.stderr).toBe(
      `PROMOTE_NOT_READY not promoting to ${prod}: Segment/hot-leads in ${dev} (revision 1) is not what the files say; apply the files to ${dev} and evaluate them there (roster apply --sandbox ${dev}) before promoting\n`,
    );

    expect(roster(['apply', 'acme', '--sandbox', dev, '--yes', '--no-evaluate'], db.env, dir).code).toBe(0);
    const unevaluated = roster(promote, db.env, dir);
    expect(unevaluated.code).toBe(1);
    expect(unevaluated.stderr).toContain(
      `not promoting to ${prod}: Segment/hot-leads revision 2 was applied in ${dev} but not evaluated since;`,
    );
    expect((await hotLeads(prod))!.revision).toBe(1);

    expect(roster(['segment', 'run', 'hot-leads', '--sandbox', dev], db.env, dir).code).toBe(0);
    const ready = roster(promote, db.env, dir);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toContain(`Plan for sandbox ${prod}: 0 to create, 1 to update`);
    expect(ready.stderr).toBe(
      `Every change was applied and evaluated in ${dev} first; roster promote --apply applies it to ${prod}.\n`,
    );
    expect((await hotLeads(prod))!.revision).toBe(1);

    const applied = roster([...promote, '--apply'], db.env, dir);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 0 created, 1 updated, 0 replaced, 0 deleted');
    expect(applied.stdout).toContain('Evaluated Segment/hot-leads (revision 2)');
    expect(await hotLeads(prod)).toEqual(await hotLeads(dev));
    expect(roster(['plan', 'acme', '--sandbox', prod, '--detailed-exitcode'], db.env, dir).code).toBe(0);
  });

  it('refuses the same sandbox on both sides as a usage error', () => {
    const same = roster(['promote', '--from', 'dev', '--to', 'dev'], db.env);
    expect(same.code).toBe(2);
    expect(same.stderr).toBe('error: --from and --to name the same sandbox; promote from one sandbox to another\n');
  });
});
