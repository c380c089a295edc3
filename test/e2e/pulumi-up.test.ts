/**
 * `pulumi up` of examples/acme on the real Pulumi engine: the CLI built from Go modules by
 * tools/pulumi-cli/install.sh, a local file backend, the repository's program run inline through
 * the automation API, the dynamic providers in Pulumi's own provider host, real PostgreSQL. The
 * steps build on each other (one stack, one sandbox), as a user's session would.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exportStackAsUser,
  openAcmeStack,
  type PulumiProject,
  readStateFile,
  tryGetPulumiCli,
} from '../support/pulumi-stack';
import { roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const CLI = tryGetPulumiCli();
if (!CLI) {
  console.warn(
    'SKIPPED test/e2e/pulumi-up.test.ts: no Pulumi CLI; build it with tools/pulumi-cli/install.sh (needs Go and the Go module proxy)',
  );
}

// Values of the secrets the example references (`secret("NAME")`): none may reach Pulumi's state.
const SECRETS = {
  MARKETO_CLIENT_SECRET: 'mkto-e2e-client-secret-4f1c',
  SALES_WEBHOOK_SECRET: 'webhook-e2e-secret-9a7d',
  ACME_EVENTS_TOKEN: 'events-e2e-token-2b6e',
};
const DB_PASSWORD = 'db-e2e-password-7c3a';
const SEGMENT_TYPE = 'pulumi-nodejs:dynamic/roster:Segment';
const TIMEOUT = 300_000;

let pool: Pool;
let work: string;
let configDir: string;
let project: PulumiProject;
let stack: Stack;
let databaseUrl: string;
const sandbox = uniqueSandbox('pulumi');

/** The database URL with a password (ignored by trust auth), so the test can look for it in state. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  if (!parsed.password) parsed.password = DB_PASSWORD;
  return parsed.toString();
}

interface RegistryRow {
  kind: string;
  name: string;
  revision: number;
  appliedAt: string;
  managedBy: string;
}

async function registryRows(): Promise<RegistryRow[]> {
  const { rows } = await pool.query<RegistryRow>(
    `select kind, name, revision, to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "appliedAt",
            managed_by as "managedBy"
       from roster_${sandbox}.resources order by kind, name`,
  );
  return rows;
}

async function operations(kind: string, name: string): Promise<string[]> {
  const { rows } = await pool.query<{ operation: string }>(
    `select operation from roster_${sandbox}.resource_revisions where kind = $1 and name = $2 order by revision`,
    [kind, name],
  );
  return rows.map((row) => row.operation);
}

/** The Roster resources in the stack's state: `Kind/name` -> outputs. */
async function stateOutputs(): Promise<Map<string, Record<string, unknown>>> {
  const deployment = await stack.exportStack();
  const resources = (deployment.deployment.resources ?? []) as { type: string; outputs?: Record<string, unknown> }[];
  const outputs = new Map<string, Record<string, unknown>>();
  for (const resource of resources) {
    if (!resource.type.startsWith('pulumi-nodejs:dynamic/roster:')) continue;
    outputs.set(`${resource.outputs!.kind}/${resource.outputs!.name}`, resource.outputs!);
  }
  return outputs;
}

beforeAll(async () => {
  if (!CLI) return;
  pool = await testPool();
  databaseUrl = withPassword(await testDatabaseUrl());
  Object.assign(process.env, SECRETS);
  ({ work, configDir, project, stack } = await openAcmeStack(CLI, {
    prefix: 'roster-pulumi-up-',
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

describe.skipIf(!CLI)('pulumi up of examples/acme on the real Pulumi engine (automation API, file backend)', () => {
  it(
    'creates every resource, and the registry equals `roster status --format json` and the stack state',
    async () => {
      const result = await stack.up();
      expect(result.summary.result).toBe('succeeded');
      expect(result.summary.resourceChanges).toEqual({ create: 15 }); // 14 resources and the stack

      const rows = await registryRows();
      expect(rows).toHaveLength(14);
      expect(new Set(rows.map((row) => row.managedBy))).toEqual(new Set(['pulumi']));
      expect(new Set(rows.map((row) => row.revision))).toEqual(new Set([1]));

      const status = roster(['status', '--sandbox', sandbox, '--format', 'json'], { DATABASE_URL: databaseUrl });
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      const shown = JSON.parse(status.stdout).resources as RegistryRow[];
      expect(
        shown.map(({ kind, name, revision, appliedAt, managedBy }) => ({ kind, name, revision, appliedAt, managedBy })),
      ).toEqual(rows);

      const outputs = await stateOutputs();
      expect([...outputs.keys()].sort()).toEqual(rows.map((row) => `${row.kind}/${row.name}`).sort());
      for (const row of rows) {
        const out = outputs.get(`${row.kind}/${row.name}`)!;
        expect({ revision: out.revision, appliedAt: out.appliedAt }).toEqual({
          revision: row.revision,
          appliedAt: row.appliedAt,
        });
      }
    },
    TIMEOUT,
  );

  it(
    'previews no changes on a second run (--expect-no-changes)',
    async () => {
      const preview = await stack.preview({ expectNoChanges: true, diff: true });
      expect(preview.changeSummary).toEqual({ same: 15 });
    },
    TIMEOUT,
  );

  it(
    'previews one edited segment condition as an update of that segment only, with the change in --diff, then applies it',
    async () => {
      const file = path.join(configDir, 'segments', 'hot-leads.yaml');
      const text = await fs.readFile(file, 'utf8');
      await fs.writeFile(file, text.replace('count: { gte: 3 }', 'count: { gte: 5 }'));

      const preview = await stack.preview({ diff: true });
      expect(preview.changeSummary).toEqual({ same: 14, update: 1 });
      const out = preview.stdout;
      expect(out).toContain(`~ ${SEGMENT_TYPE}: (update)`);
      expect(out).toContain(`::${SEGMENT_TYPE}::Segment-hot-leads]`);
      expect(out).toMatch(/gte\s*:\s*3 => 5/);
      // Besides the condition, only the document's hash changes; nothing volatile (what the registry
      // assigns, where the files are, the serialized provider) shows up as a change.
      expect(out).toMatch(/~ specHash\s*: "sha256:[0-9a-f]{64}" => "sha256:[0-9a-f]{64}"/);
      const changedInputs = [...out.matchAll(/^ {6}([~+-]) (\w+)\s*:/gm)].map((m) => `${m[1]} ${m[2]}`);
      expect(changedInputs).toEqual(['~ document', '~ specHash']);
      for (const volatile of ['appliedAt', 'revision', 'configRoot', 'sourceFile', 'managedBy', '__provider']) {
        expect(out, volatile).not.toMatch(new RegExp(`[~+-]\\s*${volatile}\\s*:`));
      }

      const result = await stack.up();
      expect(result.summary.resourceChanges).toEqual({ same: 14, update: 1 });
      expect(await operations('Segment', 'hot-leads')).toEqual(['create', 'update']);
      const { rows } = await pool.query(
        `select document #> '{spec,where,all,2,events,count}' as count from roster_${sandbox}.resources
          where kind = 'Segment' and name = 'hot-leads'`,
      );
      expect(rows[0].count).toEqual({ gte: 5 });
    },
    TIMEOUT,
  );

  it(
    'shows a document edited in the runtime database with SQL in `pulumi refresh`',
    async () => {
      await pool.query(
        `update roster_${sandbox}.resources
            set document = jsonb_set(document, '{metadata,description}', '"edited by hand in SQL"')
          where kind = 'Segment' and name = 'dormant-leads'`,
      );
      const refresh = await stack.refresh();
      expect(refresh.summary.resourceChanges).toEqual({ same: 14, update: 1 });
      const outputs = await stateOutputs();
      const document = outputs.get('Segment/dormant-leads')!.document as { metadata: { description: string } };
      expect(document.metadata.description).toBe('edited by hand in SQL');

      // The files still say otherwise: the next preview shows the runtime's description going back to
      // the files' one (the provider's read returned it as inputs too), and up puts it back.
      const preview = await stack.preview({ diff: true });
      expect(preview.changeSummary).toEqual({ same: 14, update: 1 });
      expect(preview.stdout).toMatch(/~ description: "edited by hand in SQL" => "Open leads with no web visit/);
      expect((await stack.up()).summary.resourceChanges).toEqual({ same: 14, update: 1 });
      const { rows } = await pool.query(
        `select document #>> '{metadata,description}' as description from roster_${sandbox}.resources
          where kind = 'Segment' and name = 'dormant-leads'`,
      );
      expect(rows[0].description).toMatch(/^Open leads with no web visit/);
    },
    TIMEOUT,
  );

  it(
    'forgets in `pulumi refresh` a resource deleted from the runtime database, and `pulumi up` creates it again',
    async () => {
      await pool.query(
        `delete from roster_${sandbox}.resources where kind = 'Destination' and name = 'audience-exports'`,
      );
      const refresh = await stack.refresh();
      expect(refresh.summary.resourceChanges).toEqual({ same: 14, delete: 1 });
      expect((await stateOutputs()).has('Destination/audience-exports')).toBe(false);

      expect((await stack.up()).summary.resourceChanges).toEqual({ same: 14, create: 1 });
      expect(await operations('Destination', 'audience-exports')).toEqual(['create', 'create']);
      expect((await registryRows()).map((row) => `${row.kind}/${row.name}`)).toContain('Destination/audience-exports');
    },
    TIMEOUT,
  );

  it(
    'replaces a segment whose subject changed: delete first (the name is freed), then create',
    async () => {
      const file = path.join(configDir, 'segments', 'e2e-subject.yaml');
      const segment = (subject: string, attribute: string) =>
        `apiVersion: roster/v1\nkind: Segment\nmetadata:\n  name: e2e-subject\nspec:\n  subject: ${subject}\n  where: { attribute: ${attribute}, op: exists }\n`;
      await fs.writeFile(file, segment('person', 'email'));
      expect((await stack.up()).summary.resourceChanges).toEqual({ same: 15, create: 1 });

      await fs.writeFile(file, segment('account', 'industry'));
      const preview = await stack.preview({ diff: true });
      expect(preview.changeSummary).toEqual({ same: 15, replace: 1 });
      expect(preview.stdout).toContain(`+-${SEGMENT_TYPE}: (replace)`);
      expect(preview.stdout).toMatch(/~ subject\s*: "person" => "account"/);
      const result = await stack.up();
      expect(result.summary.resourceChanges).toEqual({ same: 15, replace: 1 });
      expect(result.stdout).toMatch(/deleting original/);
      expect(await operations('Segment', 'e2e-subject')).toEqual(['create', 'delete', 'create']);
      const { rows } = await pool.query(
        `select document #>> '{spec,subject}' as subject, revision from roster_${sandbox}.resources where name = 'e2e-subject'`,
      );
      expect(rows).toEqual([{ subject: 'account', revision: 3 }]);

      await fs.rm(file);
      expect((await stack.up()).summary.resourceChanges).toEqual({ same: 15, delete: 1 });
    },
    TIMEOUT,
  );

  it(
    'keeps secrets out of the state: no secret value and no database password in the state file or its export',
    async () => {
      const state = await readStateFile(project, sandbox);
      // `pulumi stack export` as a user runs it (the automation API's exportStack adds --show-secrets).
      const exported = exportStackAsUser(project, sandbox);
      expect(state).toContain('Segment-hot-leads');
      expect(exported).toContain('Segment-hot-leads');
      for (const [where, text] of Object.entries({ state, exported })) {
        for (const value of [...Object.values(SECRETS), DB_PASSWORD]) {
          expect(text.includes(value), `${value} in ${where}`).toBe(false);
        }
        // The stack's secret config reaches the default provider's state as ciphertext only.
        expect(text, where).toMatch(
          /"roster:databaseUrl":\s*\{\s*"4dabf18193072939515e22adb298388d":\s*"1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext"/,
        );
      }
      // The references the files hold are what is stored.
      expect(state).toContain('secret://MARKETO_CLIENT_SECRET');
      const stackConfig = await fs.readFile(path.join(project.dir, `Pulumi.${sandbox}.yaml`), 'utf8');
      expect(stackConfig).toContain('secure:');
      expect(stackConfig).not.toContain(DB_PASSWORD);
    },
    TIMEOUT,
  );

  it(
    'destroys everything: the registry is empty and every history ends with a delete',
    async () => {
      const result = await stack.destroy();
      expect(result.summary.resourceChanges).toEqual({ delete: 15 });
      expect(await registryRows()).toEqual([]);
      expect(await operations('Segment', 'hot-leads')).toEqual(['create', 'update', 'delete']);
      expect(await operations('Destination', 'sales-alerts')).toEqual(['create', 'delete']);
      expect(await operations('Destination', 'audience-exports')).toEqual(['create', 'create', 'delete']);
    },
    TIMEOUT,
  );
});
