import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden';
import { ROOT, roster } from '../support/run-roster';
import { useSandboxes } from '../support/use-sandboxes';

// A registry row edited with SQL is "changed outside Roster", not an ordinary change of the files.
const GOLDEN = path.join(__dirname, '..', 'golden', 'drift');
const db = useSandboxes('roster-drift-');

function stable(text: string, sandbox: string): string {
  return text
    .replaceAll(sandbox, 'SANDBOX')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'APPLY_ID');
}

describe('drift', () => {
  it('reports a document edited in the database in plan and status, and apply restores the files version', async () => {
    const { sandbox, dir } = await db.create('dr');
    await fs.cp(path.join(ROOT, 'examples', 'acme'), path.join(dir, 'acme'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}data`) && !src.includes(`${path.sep}tests`),
    });
    expect(roster(['apply', 'acme', '--sandbox', sandbox, '--yes', '--no-evaluate'], db.env, dir).code).toBe(0);
    expect(roster(['status', '--sandbox', sandbox], db.env, dir).stdout).not.toContain('Changed outside Roster');
    await db.pool.query(
      `update roster_${sandbox}.resources set document = jsonb_set(document, '{spec,where,all,2,events,within}', '"90d"')
       where kind = 'Segment' and name = 'hot-leads'`,
    );

    const plan = roster(['plan', 'acme', '--sandbox', sandbox, '--no-impact'], db.env, dir);
    expect(plan.code).toBe(0);
    await expectGolden(stable(plan.stdout, sandbox), path.join(GOLDEN, 'plan.txt'));
    const md = roster(['plan', 'acme', '--sandbox', sandbox, '--no-impact', '--format', 'markdown'], db.env, dir);
    expect(md.stdout).toContain(
      "> **Changed outside Roster: the runtime differs from what the last apply recorded; apply restores the files' version:**\n> - `Segment/hot-leads`: revision 1 holds another document than apply ",
    );
    const json = JSON.parse(roster(['plan', 'acme', '--sandbox', sandbox, '--format', 'json'], db.env, dir).stdout);
    expect(json.drift.map((d: { key: string }) => d.key)).toEqual(['Segment/hot-leads']);

    const status = roster(['status', '--sandbox', sandbox], db.env, dir);
    expect(stable(status.stdout, sandbox)).toContain(
      "Changed outside Roster (roster apply restores the files' version):\n  ! Segment/hot-leads: revision 1 holds another document than apply APPLY_ID recorded (edited in the database)\n",
    );
    const statusJson = JSON.parse(roster(['status', '--sandbox', sandbox, '--format', 'json'], db.env, dir).stdout);
    expect(statusJson.drift).toHaveLength(1);

    const apply = roster(['apply', 'acme', '--sandbox', sandbox, '--yes', '--no-evaluate'], db.env, dir);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(
      "Restored Segment/hot-leads to the files' version; it had changed outside Roster.\n",
    );
    const { rows } = await db.pool.query(
      `select document #>> '{spec,where,all,2,events,within}' as within, revision from roster_${sandbox}.resources
       where kind = 'Segment' and name = 'hot-leads'`,
    );
    expect(rows).toEqual([{ within: '14d', revision: 2 }]);
    expect(roster(['plan', 'acme', '--sandbox', sandbox, '--detailed-exitcode'], db.env, dir).code).toBe(0);
    expect(roster(['status', '--sandbox', sandbox], db.env, dir).stdout).not.toContain('Changed outside Roster');
  });
});
