/**
 * What the Pulumi dynamic providers do, in plain functions. The providers (registry-provider.ts) are
 * serialized by Pulumi and so may capture nothing; they load this module at call time and
 * delegate here. Pools are cached per process (the provider host or the CLI), never captured.
 */
import * as os from 'node:os';
import type { Pool } from 'pg';
import type { ResourceKind } from '../../engine/config/resource';
import { getSchemaValidators } from '../../engine/config/schema-validator';
import { diffResourceInputs, type InputsDiff } from '../../engine/plan/diff-inputs';
import type { ResourceInputs } from '../../engine/plan/resource-document';
import { type Database, openDatabase } from '../../engine/runtime/database';
import { migrateSandbox } from '../../engine/runtime/migrate-sandbox';
import type { AppliedResource } from '../../engine/runtime/registry/applied-resource';
import { tryReadAppliedResource } from '../../engine/runtime/registry/read-registry';
import { recordRevision } from '../../engine/runtime/registry/record-revision';
import { withTransaction } from '../../engine/runtime/with-transaction';
import { contentHash, sortKeys } from '../../engine/util/canonical-json';
import { releasePulumiRuns, writeAsPulumi } from './pulumi-writer';

/** Provider configuration: from Pulumi stack config (`roster:databaseUrl`, a secret) or the environment. */
export interface ProviderConfig {
  databaseUrl?: string;
  /**
   * The caller's pool, for providers that run in the caller's process (`roster apply`, `roster
   * test`): used instead of opening a second pool on the URL. Pulumi's providers are serialized
   * and run elsewhere, so they carry `databaseUrl` only.
   */
  pool?: Pool;
  /**
   * Set by `roster apply`, which holds the sandbox's apply lock itself. Unset in Pulumi's
   * dynamic-provider host, where the first write takes the lock for the run (pulumi-writer.ts).
   */
  callerHoldsLock?: boolean;
}

/** The value Pulumi passes for inputs not known during a preview. */
export const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** What a provider returns as outputs: the inputs plus what the registry assigned. JSON-safe. */
export type ResourceOutputs = ResourceInputs & { revision: number; appliedAt: string };

const databases = new Map<string, Promise<Database>>();

/** The database of the configured URL (or `DATABASE_URL`), opened once per process. */
function urlDatabase(config: ProviderConfig): Promise<Database> {
  const url = config.databaseUrl || process.env.DATABASE_URL || '';
  let opened = databases.get(url);
  if (!opened) {
    opened = openDatabase({ ...process.env, DATABASE_URL: url });
    databases.set(url, opened);
  }
  return opened;
}

async function database(config: ProviderConfig): Promise<Pool> {
  return config.pool ?? (await urlDatabase(config)).pool;
}

/** Closes the pools this process opened (the CLI calls it before exiting). */
export async function closeProviderRuntime(): Promise<void> {
  await releasePulumiRuns();
  const all = [...databases.values()];
  databases.clear();
  await Promise.all(all.map(async (db) => (await db).close()));
}

function appliedBy(): string {
  return process.env.ROSTER_APPLIED_BY || `${os.userInfo().username}@${os.hostname()}`;
}

/** Pulumi `check`: schema validation, skipped while any input is still unknown (preview). */
export function checkInputs(news: ResourceInputs): { property: string; reason: string }[] {
  if (JSON.stringify(news).includes(UNKNOWN)) return [];
  const validate = getSchemaValidators().byKind[news.kind];
  if (!validate) return [{ property: 'kind', reason: `unknown kind ${JSON.stringify(news.kind)}` }];
  if (validate(news.document)) return [];
  return (validate.errors ?? []).map((e) => ({
    property: `document${e.instancePath.replace(/\//g, '.')}`,
    reason: e.message ?? e.keyword,
  }));
}

export function diffInputs(olds: ResourceInputs, news: ResourceInputs): InputsDiff {
  return diffResourceInputs(olds, news);
}

async function write(
  config: ProviderConfig,
  inputs: ResourceInputs,
  operation: 'create' | 'update' | 'replace' | 'delete',
): Promise<AppliedResource | undefined> {
  const pool = await database(config);
  await migrateSandbox(pool, inputs.sandbox);
  const record = () =>
    withTransaction(pool, (client) =>
      recordRevision(client, inputs.sandbox, {
        operation,
        kind: inputs.kind,
        name: inputs.name,
        document: inputs.document,
        specHash: contentHash(inputs.document),
        sourceFile: inputs.sourceFile,
        managedBy: inputs.managedBy,
        appliedBy: appliedBy(),
        ...(inputs.gitCommit ? { gitCommit: inputs.gitCommit } : {}),
        ...(inputs.configRoot ? { configRoot: inputs.configRoot } : {}),
      }),
    );
  if (config.callerHoldsLock) return record();
  // A caller's pool means a caller in this process, which must hold the sandbox's lock itself.
  if (config.pool)
    throw new Error("providers given a pool must be run under the caller's apply lock (callerHoldsLock)");
  const op = {
    kind: inputs.kind,
    name: inputs.name,
    operation,
    specHash: operation === 'delete' ? null : contentHash(inputs.document),
  };
  return writeAsPulumi(await urlDatabase(config), inputs.sandbox, appliedBy(), op, record);
}

function outputs(inputs: ResourceInputs, row: AppliedResource): ResourceOutputs {
  return JSON.parse(
    JSON.stringify({ ...inputs, specHash: row.specHash, revision: row.revision, appliedAt: row.appliedAt }),
  );
}

/** `<sandbox>/<Kind>/<name>`: stable, so a resource keeps its id across updates. */
export function resourceId(inputs: Pick<ResourceInputs, 'sandbox' | 'kind' | 'name'>): string {
  return `${inputs.sandbox}/${inputs.kind}/${inputs.name}`;
}

/**
 * Pulumi `create`. A resource the registry already holds with the same inputs (`roster apply` created
 * it) is adopted, not written again: Pulumi's dynamic-provider host cannot import (decision 71), so
 * this is how a stack takes over what `roster apply` made without a new revision.
 */
export async function createResource(
  config: ProviderConfig,
  inputs: ResourceInputs,
): Promise<{ id: string; outs: ResourceOutputs }> {
  const row = (await tryAdoptResource(config, inputs)) ?? (await write(config, inputs, 'create'))!;
  return { id: resourceId(inputs), outs: outputs(inputs, row) };
}

/** The registry row of `inputs` when it holds what they declare (the diff shows no change); else undefined. */
async function tryAdoptResource(config: ProviderConfig, inputs: ResourceInputs): Promise<AppliedResource | undefined> {
  const pool = await database(config);
  await migrateSandbox(pool, inputs.sandbox);
  const row = await tryReadAppliedResource(pool, inputs.sandbox, inputs.kind, inputs.name);
  if (!row) return undefined;
  return diffResourceInputs(registryInputs(inputs, row, inputs), inputs).changes ? undefined : row;
}

export async function updateResource(
  config: ProviderConfig,
  olds: ResourceInputs,
  news: ResourceInputs,
): Promise<{ outs: ResourceOutputs }> {
  const replace = diffResourceInputs(olds, news).replaces.length > 0;
  const row = (await write(config, news, replace ? 'replace' : 'update'))!;
  return { outs: outputs(news, row) };
}

export async function deleteResource(config: ProviderConfig, props: ResourceInputs): Promise<void> {
  const pool = await database(config);
  await migrateSandbox(pool, props.sandbox);
  const applied = await tryReadAppliedResource(pool, props.sandbox, props.kind, props.name);
  if (!applied) return; // already gone: deleting is idempotent
  await write(config, props, 'delete');
}

/**
 * Pulumi `read` (refresh, drift): the registry's current row, or no id when it is gone. The row is
 * returned as inputs too, so that after a refresh the engine diffs (and `--diff` shows) the files
 * against what the runtime holds, not against what was last applied.
 */
export async function readResource(
  config: ProviderConfig,
  id: string,
  props: ResourceInputs | undefined,
): Promise<{ id?: string; props?: ResourceOutputs; inputs?: ResourceInputs }> {
  const [sandbox, kind, name] = id.split('/') as [string, ResourceKind, string];
  const pool = await database(config);
  await migrateSandbox(pool, sandbox);
  const row = await tryReadAppliedResource(pool, sandbox, kind, name);
  if (!row) return {};
  const inputs = registryInputs({ sandbox, kind, name }, row, props);
  return { id, props: outputs(inputs, row), inputs };
}

/**
 * A registry row as provider inputs. The hash is the document's own, since an edit made outside
 * Roster leaves the row's `spec_hash` behind.
 */
function registryInputs(
  key: Pick<ResourceInputs, 'sandbox' | 'kind' | 'name'>,
  row: AppliedResource,
  props: ResourceInputs | undefined,
): ResourceInputs {
  return JSON.parse(
    JSON.stringify({
      sandbox: key.sandbox,
      kind: key.kind,
      name: key.name,
      document: sortKeys(row.document),
      specHash: contentHash(row.document),
      sourceFile: row.sourceFile ?? props?.sourceFile ?? '',
      managedBy: row.managedBy,
      ...(row.gitCommit ? { gitCommit: row.gitCommit } : {}),
      ...(row.configRoot ? { configRoot: row.configRoot } : {}),
      // Not in the registry: kept from the state, so a refreshed resource can still be deleted.
      ...(props?.databaseUrl ? { databaseUrl: props.databaseUrl } : {}),
    }),
  );
}

// Lets providers running in this process find the runtime without a package lookup (see registry-provider.ts).
(globalThis as { __rosterProviderRuntime?: unknown }).__rosterProviderRuntime = module.exports;
