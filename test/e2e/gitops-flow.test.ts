import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGolden } from '../support/golden';
import { ROOT, roster } from '../support/run-roster';
import { seedAcmeAudiences } from '../support/seed-acme-audiences';
import { useSandboxes } from '../support/use-sandboxes';

// The CI kit's commands, in its order, on a git repository with a main branch and a pull-request branch.
const GOLDEN = path.join(__dirname, '..', 'golden', 'gitops-flow');
const db = useSandboxes('roster-gitops-flow-');

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
}

async function registry(sandbox: string) {
  const { rows } = await db.pool.query<{ key: string; specHash: string }>(
    `select kind || '/' || name as key, spec_hash as "specHash" from roster_${sandbox}.resources order by 1`,
  );
  return rows;
}

describe('the CI kit on a pull request, its merge and the promotion', () => {
  it('comments the golden plan, applies the saved plan on merge once, and promotes the same documents', async () => {
    const { sandbox: dev, dir: repo } = await db.create('dev');
    const { sandbox: prod } = await db.create('prod');
    await fs.cp(path.join(ROOT, 'examples', 'acme'), repo, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}data`),
    });
    await fs.writeFile(path.join(repo, '.gitignore'), 'plan.md\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'audiences');
    // What earlier merges left: main applied to dev (with data, evaluated) and promoted to prod.
    for (const sandbox of [dev, prod])
      expect(roster(['apply', '.', '--sandbox', sandbox, '--yes'], db.env, repo).code).toBe(0);
    await seedAcmeAudiences(db.pool, dev);
    expect(roster(['segment', 'run', '--all', '--sandbox', dev], db.env, repo).code).toBe(0);

    git(repo, 'checkout', '-q', '-b', 'lower-threshold');
    const file = path.join(repo, 'segments', 'enterprise-accounts.yaml');
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('value: 50000000', 'value: 25000000'));
    git(repo, 'commit', '-q', '-am', 'Enterprise accounts from USD 25M');

    // Pull request: validate, test, plan with the comment and the saved plan.
    expect(roster(['validate'], db.env, repo).code).toBe(0);
    const tests = roster(['test', '--format', 'junit', '--output', 'roster-tests.xml'], db.env, repo);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
    const plan = roster(['plan', '--sandbox', dev, '--format', 'markdown', '--out', 'plan.json'], db.env, repo);
    expect(plan.code).toBe(0);
    await expectGolden(plan.stdout.replaceAll(dev, 'SANDBOX'), path.join(GOLDEN, 'comment.md'));

    // Merge: the reviewed plan applies once; the same plan again is stale.
    git(repo, 'checkout', '-q', 'main');
    git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge lower-threshold', 'lower-threshold');
    const apply = roster(['apply', 'plan.json'], db.env, repo);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain(
      'Evaluated Segment/engaged-enterprise (revision 1): 2 members, 1 entered, 0 exited.',
    );
    const again = roster(['apply', 'plan.json'], db.env, repo);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(
      'APPLY_STALE_PLAN plan.json no longer matches what it was planned against: Segment/enterprise-accounts changed in the runtime (revision 1 -> 2)',
    );

    // Promotion behind approval: prod gets exactly dev's documents.
    const promote = roster(['promote', '--from', dev, '--to', prod, '--apply'], db.env, repo);
    expect(promote.code, promote.stderr).toBe(0);
    expect(await registry(prod)).toEqual(await registry(dev));
  });
});
