/**
 * One writer per sandbox, whichever tool writes: the provider runtime as Pulumi's dynamic-provider
 * host runs it (in this process) and `roster apply` share the sandbox's apply lock and journal, and
 * `roster plan`, `apply` and `destroy` leave resources managed by Pulumi alone unless told otherwise.
 * The same with the real Pulumi CLI is in pulumi-package.test.ts; this one needs no Pulumi CLI.
 */
import { promises as fs } from 'node:fs';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceDocument } from '../../engine/config/resource';
import { acquireApplyLock, lockHolder } from '../../engine/deploy/apply-lock';
import type { ResourceInputs } from '../../engine/plan/resource-document';
import { contentHash } from '../../engine/util/canonical-json';
import { closeProviderRuntime, createResource } from '../../providers/runtime/provider-runtime';
import { writeConfigDir } from '../support/config-dir';
import { roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const sandbox = uniqueSandbox('onewriter');
let pool: Pool;
let databaseUrl: string;
let dir: string;

const segmentYaml = (name: string) =>
  `apiVersion: roster/v1\nkind: Segment\nmetadata:\n  name: ${name}\nspec:\n  subject: person\n  where: { attribute: email, op: exists }\n`;

/** The inputs `pulumi up` gives the Segment provider for a segment of its program. */
function pulumiInputs(name: string): ResourceInputs {
  const document: ResourceDocument = {
    apiVersion: 'roster/v1',
    kind: 'Segment',
    metadata: { name },
    spec: { subject: 'person', where: { attribute: 'email', op: 'exists' } },
  };
  return {
    sandbox,
    kind: 'Segment',
    name,
    document,
    specHash: contentHash(document),
    sourceFile: `segments/${name}.yaml`,
    managedBy: 'pulumi',
  };
}

async function registry(): Promise<string[]> {
  const { rows } = await pool.query<{ entry: string }>(
    `select kind || '/' || name || ' ' || managed_by as entry from roster_${sandbox}.resources order by kind, name`,
  );
  return rows.map((row) => row.entry);
}

beforeAll(async () => {
  pool = await testPool();
  databaseUrl = await testDatabaseUrl();
  dir = await writeConfigDir({ 'segments/from-files.yaml': segmentYaml('from-files') });
});

afterAll(async () => {
  await closeProviderRuntime();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('one writer per sandbox between Pulumi and roster apply', () => {
  it('a Pulumi write takes the sandbox lock for the run: roster apply fails at once naming it; the write is journalled', async () => {
    const { outs } = await createResource({ databaseUrl }, pulumiInputs('from-pulumi'));
    expect(outs.revision).toBe(1);

    const apply = roster(['apply', dir, '--sandbox', sandbox, '--yes'], { DATABASE_URL: databaseUrl });
    expect(apply.code).toBe(1);
    expect(apply.stdout).toBe('');
    expect(apply.stderr).toMatch(
      new RegExp(
        `^APPLY_LOCKED sandbox ${sandbox} is locked by pulumi \\(\\S+, pid ${process.pid}\\) since \\S+Z; wait for it to finish, or retry with --lock-timeout 5m\\n$`,
      ),
    );
    const { rows } = await pool.query(
      `select r.status as run, r.pid, j.kind, j.name, j.operation, j.status, j.spec_hash = $1 as "hashMatches"
         from roster_${sandbox}.apply_runs r join roster_${sandbox}.apply_journal j using (apply_id)`,
      [outs.specHash],
    );
    expect(rows).toEqual([
      {
        run: 'completed',
        pid: process.pid,
        kind: 'Segment',
        name: 'from-pulumi',
        operation: 'create',
        status: 'done',
        hashMatches: true,
      },
    ]);
    await closeProviderRuntime(); // the end of the Pulumi run: the lock goes with its connection
  });

  it('roster plan and apply leave the Pulumi-managed resource alone and say so; the flag deletes it', async () => {
    const plan = roster(['plan', dir, '--sandbox', sandbox, '--no-impact'], { DATABASE_URL: databaseUrl });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toBe(
      [
        '! Segment/from-pulumi (segments/from-pulumi.yaml) is managed by Pulumi; not deleted',
        '  Remove it from the Pulumi program and run pulumi up, or pass --allow-delete-pulumi-managed to delete it here.',
        '',
        '+ create Segment/from-files (segments/from-files.yaml)',
        '',
        `Plan for sandbox ${sandbox}: 1 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged.`,
        'Apply then evaluates from-files, so members change as the data impact says.',
        '',
      ].join('\n'),
    );
    const json = roster(['plan', dir, '--sandbox', sandbox, '--format', 'json'], { DATABASE_URL: databaseUrl });
    expect(JSON.parse(json.stdout).keptPulumiManaged).toEqual([
      { key: 'Segment/from-pulumi', sourceFile: 'segments/from-pulumi.yaml' },
    ]);

    const apply = roster(['apply', dir, '--sandbox', sandbox, '--yes'], { DATABASE_URL: databaseUrl });
    expect(apply.code, apply.stderr).toBe(0);
    expect(await registry()).toEqual(['Segment/from-files roster', 'Segment/from-pulumi pulumi']);

    const destroy = roster(['destroy', '--sandbox', sandbox, '--yes'], { DATABASE_URL: databaseUrl });
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(await registry()).toEqual(['Segment/from-pulumi pulumi']);

    const allowed = roster(['plan', dir, '--sandbox', sandbox, '--no-impact', '--allow-delete-pulumi-managed'], {
      DATABASE_URL: databaseUrl,
    });
    expect(allowed.stdout).toContain('- delete Segment/from-pulumi (segments/from-pulumi.yaml) [managed by Pulumi]\n');
    const markdown = roster(['plan', dir, '--sandbox', sandbox, '--format', 'markdown'], {
      DATABASE_URL: databaseUrl,
    });
    expect(markdown.stdout).toContain(
      '> **Kept:** Segment/from-pulumi (segments/from-pulumi.yaml) is managed by Pulumi; not deleted. Remove it from the Pulumi program and run pulumi up, or pass --allow-delete-pulumi-managed to delete it here.',
    );
  });

  it('a Pulumi write while roster apply holds the sandbox fails at once naming the holder, and changes nothing', async () => {
    const lock = await acquireApplyLock(pool, sandbox, lockHolder('roster apply', 'tester@ci-7', 4242), 0);
    try {
      await expect(createResource({ databaseUrl }, pulumiInputs('second'))).rejects.toThrow(
        new RegExp(
          `^APPLY_LOCKED sandbox ${sandbox} is locked by roster apply \\(tester@ci-7, pid 4242\\) since \\S+Z; Pulumi changed nothing in the sandbox: wait for it to finish, then run pulumi again$`,
        ),
      );
    } finally {
      await lock.release();
      await closeProviderRuntime();
    }
    expect(await registry()).toEqual(['Segment/from-pulumi pulumi']);

    const destroy = roster(['destroy', '--sandbox', sandbox, '--yes', '--allow-delete-pulumi-managed'], {
      DATABASE_URL: databaseUrl,
    });
    expect(destroy.code, destroy.stderr).toBe(0);
    expect(destroy.stdout).toContain('- delete Segment/from-pulumi (segments/from-pulumi.yaml) [managed by Pulumi]');
    expect(await registry()).toEqual([]);
  });
});
