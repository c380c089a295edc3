/**
 * A Pulumi stack taking over what `roster apply` created, on the real Pulumi engine (the CLI built
 * by tools/pulumi-cli/install.sh, a file backend, the automation API, real PostgreSQL). Pulumi's
 * dynamic-provider host cannot serve an `import:` (its Read arrives with no properties, so it cannot
 * load the provider; decision 71): the program declares the resources as usual and the provider's
 * create adopts each registry row that already holds the same document, writing nothing.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAcmeStack, tryGetPulumiCli } from '../support/pulumi-stack';
import { roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const CLI = tryGetPulumiCli();
if (!CLI) {
  console.warn(
    'SKIPPED test/e2e/pulumi-import.test.ts: no Pulumi CLI; build it with tools/pulumi-cli/install.sh (needs Go and the Go module proxy)',
  );
}

const SECRETS = {
  MARKETO_CLIENT_SECRET: 'mkto-import-client-secret',
  SALES_WEBHOOK_SECRET: 'webhook-import-secret',
  ACME_EVENTS_TOKEN: 'events-import-token',
};
const TIMEOUT = 300_000;

let pool: Pool;
let work: string;
let configDir: string;
let stack: Stack;
let databaseUrl: string;
const sandbox = uniqueSandbox('pimport');

interface Revision {
  kind: string;
  name: string;
  revision: number;
  operation: string;
  managedBy: string;
}

/** Every revision of the sandbox, read with SQL of the test's own. */
async function revisions(): Promise<Revision[]> {
  const { rows } = await pool.query<Revision>(
    `select kind, name, revision, operation, managed_by as "managedBy"
       from roster_${sandbox}.resource_revisions order by kind, name, revision`,
  );
  return rows;
}

/** The registry's current rows: `Kind/name` -> revision, time and owner. */
async function registryRows(): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query(
    `select kind, name, revision, applied_at::text as "appliedAt", managed_by as "managedBy"
       from roster_${sandbox}.resources order by kind, name`,
  );
  return rows;
}

beforeAll(async () => {
  if (!CLI) return;
  pool = await testPool();
  databaseUrl = await testDatabaseUrl();
  Object.assign(process.env, SECRETS);
  ({ work, configDir, stack } = await openAcmeStack(CLI, {
    prefix: 'roster-pulumi-import-',
    sandbox,
    databaseUrl,
    secrets: SECRETS,
  }));
}, TIMEOUT);

afterAll(async () => {
  if (!CLI) return;
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

describe.skipIf(!CLI)('a Pulumi stack adopting the resources `roster apply` created', () => {
  it(
    'adopts every resource with `pulumi up`, writing no revision, and previews no changes afterwards',
    async () => {
      const apply = roster(['apply', configDir, '--sandbox', sandbox, '--yes', '--no-evaluate'], {
        ...SECRETS,
        DATABASE_URL: databaseUrl,
      });
      expect(apply.code).toBe(0);
      const applied = await registryRows();
      const history = await revisions();
      expect(applied).toHaveLength(14);
      expect(new Set(history.map((row) => `${row.operation} ${row.managedBy}`))).toEqual(new Set(['create roster']));

      // The engine sees creates (it cannot import a dynamic resource); none of them writes.
      const preview = await stack.preview();
      expect(preview.changeSummary).toEqual({ create: 15 }); // 14 resources and the stack
      const result = await stack.up();
      expect(result.summary.result).toBe('succeeded');
      expect(result.summary.resourceChanges).toEqual({ create: 15 });
      expect(await revisions()).toEqual(history);
      // The rows stay as `roster apply` wrote them, owner included, until Pulumi next changes one.
      expect(await registryRows()).toEqual(applied);

      // The state holds what the registry holds, so the files and the stack agree.
      const deployment = await stack.exportStack();
      const adopted = (deployment.deployment.resources as { type: string; outputs: Record<string, unknown> }[])
        .filter((resource) => resource.type.startsWith('pulumi-nodejs:dynamic/roster:'))
        .map(({ outputs }) => ({ key: `${outputs.kind}/${outputs.name}`, revision: outputs.revision }));
      expect(adopted.sort((a, b) => a.key.localeCompare(b.key))).toEqual(
        applied.map((row) => ({ key: `${row.kind}/${row.name}`, revision: row.revision })),
      );
      const again = await stack.preview({ expectNoChanges: true });
      expect(again.changeSummary).toEqual({ same: 15 });
    },
    TIMEOUT,
  );

  it(
    'writes a revision owned by Pulumi when a resource it adopted changes in the files',
    async () => {
      const file = path.join(configDir, 'segments', 'hot-leads.yaml');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace('count: { gte: 3 }', 'count: { gte: 5 }'));
      expect((await stack.up()).summary.resourceChanges).toEqual({ same: 14, update: 1 });
      const hotLeads = (await revisions()).filter((row) => row.name === 'hot-leads');
      expect(hotLeads.map(({ revision, operation, managedBy }) => ({ revision, operation, managedBy }))).toEqual([
        { revision: 1, operation: 'create', managedBy: 'roster' },
        { revision: 2, operation: 'update', managedBy: 'pulumi' },
      ]);
    },
    TIMEOUT,
  );
});
