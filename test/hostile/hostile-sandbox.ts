import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../engine/cli/main';
import { migrateSandbox } from '../../engine/runtime/migrate-sandbox';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';
import { captureIo } from '../support/capture-io';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

/** What one `roster` command printed and returned. */
export interface CommandResult {
  code: number;
  output: string;
}

/** A located problem line: `CODE file:line:col /pointer: what is wrong; what to do`. */
export const LOCATED_PROBLEM = /^(CONFIG_[A-Z_]+) s\.yaml:(\d+):(\d+)(?: (\/\S*))?: .+; .+$/m;

export interface HostileSandbox {
  /** `roster validate`, then `roster plan` (with data impact) on a directory holding only `s.yaml`. */
  validateAndPlan(text: string): Promise<{ validate: CommandResult; plan: CommandResult }>;
}

/**
 * A sandbox with one account, one person (created and converted), one opportunity with the person's
 * contact role and one web visit, so every window, count and comparison a plan previews is
 * evaluated on a row rather than optimised away on empty tables.
 */
export function useHostileSandbox(): HostileSandbox {
  const sandbox = uniqueSandbox('hostile');
  let pool: Pool;
  let env: NodeJS.ProcessEnv;
  let work: string;
  beforeAll(async () => {
    pool = await testPool(2);
    env = { DATABASE_URL: await testDatabaseUrl() };
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-hostile-'));
    await migrateSandbox(pool, sandbox);
    await seed(pool, sandboxSchema(sandbox));
  });
  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    await fs.rm(work, { recursive: true, force: true });
  });
  let runs = 0;
  return {
    async validateAndPlan(text) {
      const dir = path.join(work, `run-${++runs}`);
      await fs.mkdir(dir);
      await fs.writeFile(path.join(dir, 's.yaml'), text);
      const validate = await run(['validate', '.'], dir, env);
      const plan = await run(['plan', '.', '--sandbox', sandbox], dir, env);
      await fs.rm(dir, { recursive: true, force: true });
      return { validate, plan };
    },
  };
}

/** Runs the CLI in this process: a crash (a throw) fails the test with its stack, as a user would see it. */
async function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const io = captureIo(cwd, env);
  const code = await main(args, io);
  return { code, output: `${io.out.join('')}${io.err.join('')}` };
}

async function seed(pool: Pool, s: string): Promise<void> {
  const source = `'file', 'crm', 'o', '1', 'h', 1`;
  await pool.query(`insert into ${s}.accounts (id, canonical_key, name, annual_revenue) values (1, 'a1', 'Acme', 1e6)`);
  await pool.query(
    `insert into ${s}.persons (id, canonical_key, email, job_title, created_at, converted_at, account_id)
     values (1, 'p1', 'ada@acme.example', 'VP Sales', now() - interval '3 years', now() - interval '1 day', 1)`,
  );
  await pool.query(
    `insert into ${s}.opportunities (source_type, source_name, source_object, source_key, content_hash, run_id, id, amount, account_id)
     values (${source}, 7, 12500.5, 1)`,
  );
  await pool.query(
    `insert into ${s}.opportunity_roles (source_type, source_name, source_object, source_key, content_hash, run_id, opportunity_id, person_id, role)
     values (${source}, 7, 1, 'Decision Maker')`,
  );
  await pool.query(
    `insert into ${s}.events (source_type, source_name, source_object, source_key, content_hash, run_id, type, occurred_at, person_id)
     values (${source}, 'web.visit', now() - interval '2 days', 1)`,
  );
}

/** A person segment document named `s` with `where` as its condition. */
export function personSegment(where: unknown): string {
  return stringify({
    apiVersion: 'roster/v1',
    kind: 'Segment',
    metadata: { name: 's' },
    spec: { subject: 'person', where },
  });
}
