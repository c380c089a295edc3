/**
 * The providers over Pulumi's real protocol: the SDK's own dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) in a child process, driven over gRPC with the SDK's
 * generated client exactly as the Pulumi engine drives it: Configure once, then Check, Diff,
 * Create, Update, Read and Delete with the serialized provider in the `__provider` property.
 * The host has no DATABASE_URL: it only knows the database from Configure. Each step is checked
 * with independent SQL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as pulumi from '@pulumi/pulumi';
import { ResourceProviderClient } from '@pulumi/pulumi/proto/provider_grpc_pb';
import * as provproto from '@pulumi/pulumi/proto/provider_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/load-config';
import type { ResourceKind } from '../../engine/config/resource';
import { type ResourceInputs, toResourceInputs } from '../../engine/plan/resource-document';
import { registryProvider } from '../../providers/registry-provider';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const ROOT = path.join(__dirname, '..', '..');
const HOST = path.join('node_modules', '@pulumi', 'pulumi', 'cmd', 'dynamic-provider', 'index.js');
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
const { DiffChanges } = provproto.DiffResponse;

type Props = Record<string, unknown>;
type Doc = ResourceInputs['document'];

interface KindCase {
  kind: ResourceKind;
  name: string;
  change(spec: Record<string, unknown>): void;
  immutable?: { change(spec: Record<string, unknown>): void; path: string };
}

const CASES: KindCase[] = [
  {
    kind: 'Source',
    name: 'web-events',
    change: (spec) => {
      spec.schedule = '*/20 * * * *';
    },
    immutable: {
      change: (spec) => {
        spec.type = 'file';
      },
      path: 'document.spec.type',
    },
  },
  {
    kind: 'IdentityMapping',
    name: 'acme-identity',
    change: (spec) => {
      spec.maxIdentitiesPerGraph = 70;
    },
  },
  {
    kind: 'Segment',
    name: 'enterprise-accounts',
    change: (spec) => {
      spec.evaluation = 'batch';
    },
    immutable: {
      change: (spec) => {
        spec.subject = 'person';
      },
      path: 'document.spec.subject',
    },
  },
  {
    kind: 'Destination',
    name: 'marketo-nurture',
    change: (spec) => {
      spec.retry = { maxAttempts: 4, initialDelaySeconds: 3 };
    },
    immutable: {
      change: (spec) => {
        spec.type = 'webhook';
      },
      path: 'document.spec.type',
    },
  },
];

let url: string;
let pool: Pool;
let host: ChildProcess | undefined;
let hostStderr = '';
let client: ResourceProviderClient;
const sandbox = uniqueSandbox('pp');
const inputsByKind = new Map<ResourceKind, ResourceInputs>();
const providerText = new Map<ResourceKind, string>();

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function withSpec<T extends Props>(props: T, edit: (spec: Record<string, unknown>) => void): T {
  const copy = clone(props);
  edit((copy.document as Doc).spec);
  return copy;
}

/** Unary call on the generated client, as a promise; the host's stderr is attached to failures. */
function rpc<Req, Res>(method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (
      client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>
    )[method]!;
    fn.call(client, request, (error, response) => {
      if (error) reject(new Error(`${method} failed: ${error.message}\nprovider host stderr:\n${hostStderr}`));
      else resolve(response);
    });
  });
}

function struct(value: Props): Struct {
  return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

function urn(kind: ResourceKind, name: string): string {
  return `urn:pulumi:${sandbox}::roster::pulumi-nodejs:dynamic/roster:${kind}::${kind}-${name}`;
}

/** What the program declares: the inputs plus the serialized provider (undefined inputs are dropped). */
function declaredInputs(kind: ResourceKind): Props {
  return { ...clone(inputsByKind.get(kind)!), __provider: providerText.get(kind)! };
}

async function check(kind: ResourceKind, name: string, olds: Props, news: Props) {
  const request = new provproto.CheckRequest();
  request.setUrn(urn(kind, name));
  request.setName(`${kind}-${name}`);
  request.setType(`pulumi-nodejs:dynamic/roster:${kind}`);
  request.setOlds(struct(olds));
  request.setNews(struct(news));
  const response = await rpc<provproto.CheckRequest, provproto.CheckResponse>('check', request);
  return {
    inputs: response.getInputs()!.toJavaScript() as Props,
    failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
  };
}

async function diff(kind: ResourceKind, name: string, id: string, olds: Props, news: Props, oldInputs: Props) {
  const request = new provproto.DiffRequest();
  request.setId(id);
  request.setUrn(urn(kind, name));
  request.setName(`${kind}-${name}`);
  request.setType(`pulumi-nodejs:dynamic/roster:${kind}`);
  request.setOlds(struct(olds));
  request.setNews(struct(news));
  request.setOldInputs(struct(oldInputs));
  const response = await rpc<provproto.DiffRequest, provproto.DiffResponse>('diff', request);
  return {
    changes: response.getChanges(),
    replaces: response.getReplacesList(),
    deleteBeforeReplace: response.getDeletebeforereplace(),
  };
}

async function create(kind: ResourceKind, name: string, properties: Props) {
  const request = new provproto.CreateRequest();
  request.setUrn(urn(kind, name));
  request.setName(`${kind}-${name}`);
  request.setType(`pulumi-nodejs:dynamic/roster:${kind}`);
  request.setProperties(struct(properties));
  request.setTimeout(60);
  const response = await rpc<provproto.CreateRequest, provproto.CreateResponse>('create', request);
  return { id: response.getId(), properties: response.getProperties()!.toJavaScript() as Props };
}

async function update(kind: ResourceKind, name: string, id: string, olds: Props, news: Props, oldInputs: Props) {
  const request = new provproto.UpdateRequest();
  request.setId(id);
  request.setUrn(urn(kind, name));
  request.setName(`${kind}-${name}`);
  request.setType(`pulumi-nodejs:dynamic/roster:${kind}`);
  request.setOlds(struct(olds));
  request.setNews(struct(news));
  request.setOldInputs(struct(oldInputs));
  request.setTimeout(60);
  const response = await rpc<provproto.UpdateRequest, provproto.UpdateResponse>('update', request);
  return { properties: response.getProperties()!.toJavaScript() as Props };
}

async function read(kind: ResourceKind, name: string, id: string, properties: Props, inputs: Props) {
  const request = new provproto.ReadRequest();
  request.setId(id);
  request.setUrn(urn(kind, name));
  request.setName(`${kind}-${name}`);
  request.setType(`pulumi-nodejs:dynamic/roster:${kind}`);
  request.setProperties(struct(properties));
  request.setInputs(struct(inputs));
  const response = await rpc<provproto.ReadRequest, provproto.ReadResponse>('read', request);
  return { id: response.getId(), properties: response.getProperties()?.toJavaScript() as Props | undefined };
}

async function destroy(kind: ResourceKind, name: string, id: string, properties: Props, oldInputs: Props) {
  const request = new provproto.DeleteRequest();
  request.setId(id);
  request.setUrn(urn(kind, name));
  request.setName(`${kind}-${name}`);
  request.setType(`pulumi-nodejs:dynamic/roster:${kind}`);
  request.setProperties(struct(properties));
  request.setOldInputs(struct(oldInputs));
  request.setTimeout(60);
  await rpc('delete', request);
}

async function registryRow(kind: ResourceKind, name: string) {
  const { rows: exists } = await pool.query<{ t: string | null }>('select to_regclass($1) as t', [
    `"roster_${sandbox}".resources`,
  ]);
  if (!exists[0]?.t) return undefined;
  const { rows } = await pool.query<{ revision: number; spec_hash: string; document: Doc; managed_by: string }>(
    `select revision, spec_hash, document, managed_by from "roster_${sandbox}".resources where kind = $1 and name = $2`,
    [kind, name],
  );
  return rows[0];
}

async function revisions(kind: ResourceKind, name: string) {
  const { rows: exists } = await pool.query<{ t: string | null }>('select to_regclass($1) as t', [
    `"roster_${sandbox}".resource_revisions`,
  ]);
  if (!exists[0]?.t) return [];
  const { rows } = await pool.query<{ revision: number; operation: string; document: Doc | null }>(
    `select revision, operation, document from "roster_${sandbox}".resource_revisions where kind = $1 and name = $2 order by revision`,
    [kind, name],
  );
  return rows;
}

/** Starts the SDK's provider host as the engine does (`<host> <engine address>`) and reads its port. */
function startHost(): Promise<number> {
  const env = { ...process.env };
  delete env.DATABASE_URL; // the host must get the database from Configure
  const child = spawn(process.execPath, [HOST, '127.0.0.1:1'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  host = child;
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    hostStderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(
      () => reject(new Error(`the provider host printed no port; stderr:\n${hostStderr}`)),
      30_000,
    );
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^(\d+)\s*$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the provider host exited with ${code}; stderr:\n${hostStderr}`));
    });
  });
}

beforeAll(async () => {
  url = await testDatabaseUrl();
  pool = await testPool();
  const loaded = await loadConfig({ root: path.join(ROOT, 'examples', 'acme'), sandbox });
  expect(loaded.problems).toEqual([]);
  for (const c of CASES) {
    const resource = loaded.resources.find((r) => r.kind === c.kind && r.name === c.name);
    if (!resource) throw new Error(`examples/acme has no ${c.kind}/${c.name}`);
    inputsByKind.set(c.kind, toResourceInputs(resource, { sandbox, managedBy: 'pulumi' }));
    // Exactly what pulumi.dynamic.Resource puts in `__provider` (dynamic/index.js).
    const provider = registryProvider(c.kind);
    providerText.set(c.kind, (await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true })).text);
  }

  const port = await startHost();
  client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  // Configure, as the engine does for the dynamic provider: the stack config as (deprecated)
  // variables and as args. `roster:databaseUrl` is a secret config value, and args may carry
  // secrets in their wire form (the host unwraps them) before acceptSecrets is negotiated.
  const request = new provproto.ConfigureRequest();
  request.getVariablesMap().set('roster:databaseUrl', url);
  request.setArgs(
    struct({ 'roster:databaseUrl': { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: url } }),
  );
  request.setAcceptsecrets(true);
  request.setAcceptresources(true);
  const response = await rpc<provproto.ConfigureRequest, provproto.ConfigureResponse>('configure', request);
  expect(response.getAcceptsecrets()).toBe(false);
});

afterAll(async () => {
  client?.close();
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host!.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
  if (pool) {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
  }
});

describe.each(CASES)('the $kind provider in the Pulumi provider host', (c) => {
  it('Check, Create, Read, preview Check/Diff, Diff, Update, Delete, Delete again, Read: as the engine calls them', async () => {
    const { kind, name } = c;
    const id = `${sandbox}/${kind}/${name}`;
    const declared = declaredInputs(kind);
    const inputs = inputsByKind.get(kind)!;

    // Check of a new resource: olds are empty; the inputs come back with __provider.
    const checked = await check(kind, name, {}, declared);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toEqual(declared);
    expect(await registryRow(kind, name)).toBeUndefined();

    // Check of an invalid document fails with reasons.
    const invalid = withSpec(declared, (spec) => {
      spec.notAField = 1;
    });
    const failed = await check(kind, name, {}, invalid);
    expect(failed.failures.length).toBeGreaterThan(0);
    expect(failed.failures[0]?.property).toMatch(/^document/);

    // Create with the checked inputs.
    const created = await create(kind, name, checked.inputs);
    expect(created.id).toBe(id);
    expect(created.properties).toMatchObject({ ...inputs, revision: 1, __provider: providerText.get(kind) });
    expect(typeof created.properties.appliedAt).toBe('string');
    const row = await registryRow(kind, name);
    expect(row).toMatchObject({
      revision: 1,
      spec_hash: inputs.specHash,
      document: inputs.document,
      managed_by: 'pulumi',
    });
    expect((await revisions(kind, name)).map((r) => [r.revision, r.operation])).toEqual([[1, 'create']]);
    let state = created.properties;

    // Read (refresh): the registry's row, __provider kept so later operations still work.
    const refreshed = await read(kind, name, id, state, checked.inputs);
    expect(refreshed.id).toBe(id);
    expect(refreshed.properties).toMatchObject({ sandbox, kind, name, document: inputs.document, revision: 1 });
    expect(refreshed.properties?.__provider).toBe(providerText.get(kind));
    expect(await revisions(kind, name)).toHaveLength(1);

    // A preview with unknown inputs: Check tolerates the placeholder, Diff reports a change.
    const unknownSpec = withSpec(declared, (spec) => {
      spec.schedule = UNKNOWN;
    });
    const previewCheck = await check(kind, name, checked.inputs, unknownSpec);
    expect(previewCheck.failures).toEqual([]);
    expect((previewCheck.inputs.document as Doc).spec.schedule).toBe(UNKNOWN);
    const previewDiff = await diff(kind, name, id, state, previewCheck.inputs, checked.inputs);
    expect(previewDiff.changes).toBe(DiffChanges.DIFF_SOME);
    const unknownCommit = await check(kind, name, checked.inputs, { ...declared, gitCommit: UNKNOWN });
    expect(unknownCommit.failures).toEqual([]);
    expect((await diff(kind, name, id, state, unknownCommit.inputs, checked.inputs)).changes).toBe(
      DiffChanges.DIFF_NONE,
    );
    expect(await revisions(kind, name)).toHaveLength(1);

    // Nothing but managedBy / gitCommit / sourceFile differs: no changes.
    const relabelled = { ...declared, managedBy: 'roster', gitCommit: 'b'.repeat(40), sourceFile: 'elsewhere.yaml' };
    const noChange = await diff(kind, name, id, state, relabelled, checked.inputs);
    expect(noChange.changes).toBe(DiffChanges.DIFF_NONE);
    expect(noChange.replaces).toEqual([]);

    // An in-place change: Check, Diff (some, no replaces), Update.
    const changedNews = withSpec(declared, c.change);
    const changedChecked = await check(kind, name, checked.inputs, changedNews);
    expect(changedChecked.failures).toEqual([]);
    const changedDiff = await diff(kind, name, id, state, changedChecked.inputs, checked.inputs);
    expect(changedDiff.changes).toBe(DiffChanges.DIFF_SOME);
    expect(changedDiff.replaces).toEqual([]);
    const updated = await update(kind, name, id, state, changedChecked.inputs, checked.inputs);
    expect(updated.properties).toMatchObject({ document: (changedNews as { document: Doc }).document, revision: 2 });
    expect(updated.properties.__provider).toBe(providerText.get(kind));
    const rowAfterUpdate = await registryRow(kind, name);
    expect(rowAfterUpdate?.revision).toBe(2);
    expect(rowAfterUpdate?.document).toEqual((changedNews as { document: Doc }).document);
    expect((await revisions(kind, name)).map((r) => [r.revision, r.operation])).toEqual([
      [1, 'create'],
      [2, 'update'],
    ]);
    state = updated.properties;

    // A change of an immutable field: Diff asks for a replacement, delete first.
    if (c.immutable) {
      const replaced = await diff(
        kind,
        name,
        id,
        state,
        withSpec(changedChecked.inputs, c.immutable.change),
        changedChecked.inputs,
      );
      expect(replaced.changes).toBe(DiffChanges.DIFF_SOME);
      expect(replaced.replaces).toEqual([c.immutable.path]);
      expect(replaced.deleteBeforeReplace).toBe(true);
    }

    // Delete, then Delete again (a retried step): one delete revision.
    await destroy(kind, name, id, state, changedChecked.inputs);
    expect(await registryRow(kind, name)).toBeUndefined();
    const afterDelete = await revisions(kind, name);
    expect(afterDelete.map((r) => [r.revision, r.operation])).toEqual([
      [1, 'create'],
      [2, 'update'],
      [3, 'delete'],
    ]);
    await destroy(kind, name, id, state, changedChecked.inputs);
    expect(await revisions(kind, name)).toHaveLength(3);

    // Read after delete: the engine sees an empty id (the resource is gone).
    const gone = await read(kind, name, id, state, changedChecked.inputs);
    expect(gone.id).toBe('');
  });
});

describe('the provider host', () => {
  it('is still running after every call (no uncaught error)', () => {
    expect(host?.exitCode).toBeNull();
    expect(hostStderr).not.toMatch(/Unexpected struct type|TypeError|ReferenceError/);
  });
});
