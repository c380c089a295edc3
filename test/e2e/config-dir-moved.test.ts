import { promises as fs } from 'node:fs';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../engine/cli/main';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import { captureIo } from '../support/capture-io';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

/**
 * A file source reads paths relative to its resource file, in the directory recorded at apply. After
 * the repository moves, plan shows the source as changed (and why), and apply records the new place.
 */
const sandbox = uniqueSandbox('moved');
let pool: Pool;
let env: NodeJS.ProcessEnv;
let before: string;
let after: string;

async function roster(args: string[]): Promise<{ code: number; output: string }> {
  const io = captureIo('/', env);
  const code = await main(args, io);
  return { code, output: `${io.out.join('')}${io.err.join('')}` };
}

beforeAll(async () => {
  pool = await testPool(1);
  env = { DATABASE_URL: await testDatabaseUrl() };
  before = await writeConfigDir(crmPeopleConfig());
  expect((await roster(['apply', before, '--sandbox', sandbox, '--yes'])).code).toBe(0);
  after = `${before}-moved`;
  await fs.rename(before, after);
});

afterAll(async () => {
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(after, { recursive: true, force: true });
});

describe('a moved configuration directory', () => {
  it('plans an update of the file source that names the new directory, and nothing else', async () => {
    const plan = await roster(['plan', after, '--sandbox', sandbox]);
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toContain('~ update Source/crm');
    expect(plan.output).toContain(`@@ file paths resolve against ${after} (applied: ${before}) @@`);
    expect(plan.output).toContain('0 to create, 1 to update, 0 to replace, 0 to delete, 1 unchanged');
  });

  it('records the new directory at apply, after which the plan is empty', async () => {
    expect((await roster(['apply', after, '--sandbox', sandbox, '--yes'])).code).toBe(0);
    const { rows } = await pool.query(
      `select config_root as "configRoot" from ${sandboxSchema(sandbox)}.resources where kind = 'Source' and name = 'crm'`,
    );
    expect(rows).toEqual([{ configRoot: after }]);
    expect((await roster(['plan', after, '--sandbox', sandbox])).output).toContain('No changes.');
  });
});
