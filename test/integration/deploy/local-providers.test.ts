import * as path from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../engine/config/load-config';
import { type ResourceInputs, toResourceInputs } from '../../../engine/plan/resource-document';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { localProviders } from '../../../providers/local-providers';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

/**
 * `roster apply` runs the registry providers in its own process: they write through the pool the
 * command opened, not a second pool on its URL (decision 59).
 */
const ACME = path.join(__dirname, '..', '..', '..', 'examples', 'acme');
const sandbox = uniqueSandbox('localprov');
let checker: Pool;
let inputs: ResourceInputs;

beforeAll(async () => {
  checker = await testPool();
  const loaded = await loadConfig({ root: ACME, sandbox });
  const source = loaded.resources.find((r) => r.kind === 'Source' && r.name === 'marketo')!;
  inputs = toResourceInputs(source, { sandbox, managedBy: 'roster' });
});

afterAll(async () => {
  await dropSandboxes(checker, [sandbox]);
  await checker.end();
});

describe('the local providers', () => {
  it('write the registry through the pool they are given, and through nothing else', async () => {
    const pool = new Pool({ connectionString: await testDatabaseUrl(), max: 2 });
    await migrateSandbox(pool, sandbox);
    const providers = localProviders(pool);
    await providers.Source.create(inputs);
    const { rows } = await checker.query(`select name, revision from roster_${sandbox}.resources`);
    expect(rows).toEqual([{ name: 'marketo', revision: 1 }]);

    await pool.end();
    // With the given pool ended, the provider has no other way to the database.
    await expect(providers.Source.delete!(`${sandbox}/Source/marketo`, inputs)).rejects.toThrow(
      /pool after calling end/,
    );
    const after = await checker.query(`select name from roster_${sandbox}.resources`);
    expect(after.rows).toEqual([{ name: 'marketo' }]);
  });
});
