/**
 * The registry providers' methods called directly, against real PostgreSQL: every effect is checked
 * with independent SQL (the test's own pool), never with the code under test's reads.
 */
import * as path from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config/load-config';
import type { ResourceKind } from '../../engine/config/resource';
import { type ResourceInputs, toResourceInputs } from '../../engine/plan/resource-document';
import { contentHash } from '../../engine/util/canonical-json';
import { registryProvider } from '../../providers/registry-provider';
import { closeProviderRuntime } from '../../providers/runtime/provider-runtime';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

const ACME = path.join(__dirname, '..', '..', 'examples', 'acme');
const UNKNOWN = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

type Provider = ReturnType<typeof registryProvider>;
type Doc = ResourceInputs['document'];

interface KindCase {
  kind: ResourceKind;
  name: string;
  /** A schema-valid in-place change of the spec. */
  change(spec: Record<string, unknown>): void;
  /** A change of an immutable spec field, and the path diff must report (none for IdentityMapping). */
  immutable?: { change(spec: Record<string, unknown>): void; path: string };
}

const CASES: KindCase[] = [
  {
    kind: 'Source',
    name: 'marketo',
    change: (spec) => {
      spec.schedule = '*/15 * * * *';
    },
    immutable: {
      change: (spec) => {
        spec.type = 'webhook';
      },
      path: 'document.spec.type',
    },
  },
  {
    kind: 'IdentityMapping',
    name: 'acme-identity',
    change: (spec) => {
      spec.maxIdentitiesPerGraph = 60;
    },
  },
  {
    kind: 'Segment',
    name: 'hot-leads',
    change: (spec) => {
      spec.evaluation = 'batch';
    },
    immutable: {
      change: (spec) => {
        spec.subject = 'account';
      },
      path: 'document.spec.subject',
    },
  },
  {
    kind: 'Destination',
    name: 'sales-alerts',
    change: (spec) => {
      (spec.retry as { maxAttempts: number }).maxAttempts = 5;
    },
    immutable: {
      change: (spec) => {
        spec.type = 'marketo';
      },
      path: 'document.spec.type',
    },
  },
];

let url: string;
let pool: Pool;
const sandbox = uniqueSandbox('pm');
const inputsByKind = new Map<ResourceKind, ResourceInputs>();

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function withSpec(inputs: ResourceInputs, edit: (spec: Record<string, unknown>) => void): ResourceInputs {
  const copy = clone(inputs);
  edit(copy.document.spec);
  return copy;
}

/** Paths of values JSON cannot carry faithfully (undefined, Date, BigInt, functions, NaN...). */
function unsafeJsonPaths(value: unknown, at = '$'): string[] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [at];
  if (value === undefined || typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
    return [at];
  }
  if (value instanceof Date) return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => unsafeJsonPaths(v, `${at}[${i}]`));
  if (Object.getPrototypeOf(value) !== Object.prototype) return [at];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => unsafeJsonPaths(v, `${at}.${k}`));
}

function expectJsonSafe(value: unknown): void {
  expect(unsafeJsonPaths(value)).toEqual([]);
  expect(JSON.parse(JSON.stringify(value))).toStrictEqual(value);
}

async function registryRow(kind: ResourceKind, name: string) {
  const { rows } = await pool.query<{
    revision: number;
    spec_hash: string;
    document: Doc;
    managed_by: string;
    source_file: string | null;
  }>(
    `select revision, spec_hash, document, managed_by, source_file from "roster_${sandbox}".resources where kind = $1 and name = $2`,
    [kind, name],
  );
  return rows[0];
}

async function revisions(kind: ResourceKind, name: string) {
  const { rows } = await pool.query<{
    revision: number;
    operation: string;
    document: Doc | null;
    spec_hash: string | null;
  }>(
    `select revision, operation, document, spec_hash from "roster_${sandbox}".resource_revisions
     where kind = $1 and name = $2 order by revision`,
    [kind, name],
  );
  return rows;
}

function configured(kind: ResourceKind, how: 'property' | 'configure'): Promise<Provider> | Provider {
  const provider = registryProvider(kind);
  if (how === 'property') {
    provider.databaseUrl = url;
    return provider;
  }
  const config = { get: (key: string) => (key === 'roster:databaseUrl' ? url : undefined) } as pulumi.dynamic.Config;
  return provider.configure!({ config }).then(() => provider);
}

beforeAll(async () => {
  url = await testDatabaseUrl();
  pool = await testPool();
  const loaded = await loadConfig({ root: ACME, sandbox });
  expect(loaded.problems).toEqual([]);
  for (const c of CASES) {
    const resource = loaded.resources.find((r) => r.kind === c.kind && r.name === c.name);
    if (!resource) throw new Error(`examples/acme has no ${c.kind}/${c.name}`);
    inputsByKind.set(c.kind, toResourceInputs(resource, { sandbox, managedBy: 'pulumi' }));
  }
});

afterAll(async () => {
  await closeProviderRuntime();
  if (pool) {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
  }
});

describe.each(CASES)('the $kind registry provider', (c) => {
  it('configure() takes roster:databaseUrl from the stack config', async () => {
    const provider = await configured(c.kind, 'configure');
    expect(provider.databaseUrl).toBe(url);
    const unconfigured = registryProvider(c.kind);
    await unconfigured.configure!({ config: { get: () => undefined } as unknown as pulumi.dynamic.Config });
    expect(unconfigured.databaseUrl).toBeUndefined();
  });

  it('check: no failures for the example, failures for an invalid document, none while an input is unknown', async () => {
    const provider = registryProvider(c.kind);
    const inputs = inputsByKind.get(c.kind)!;
    const valid = await provider.check!(inputs, inputs);
    expect(valid.failures ?? []).toEqual([]);
    expect(valid.inputs).toEqual(inputs);

    const invalid = clone(inputs) as ResourceInputs & { document: { spec: Record<string, unknown> } };
    invalid.document.spec.notAField = true;
    delete (invalid.document.metadata as { name?: string }).name;
    const failed = await provider.check!(inputs, invalid);
    expect(failed.failures?.length).toBeGreaterThan(0);
    for (const failure of failed.failures!) {
      expect(failure.property).toMatch(/^document/);
      expect(typeof failure.reason).toBe('string');
    }

    // A preview: a field (here the whole spec, and also a nested value) is not known yet.
    const previewSpec = { ...clone(inputs), document: { ...clone(inputs.document), spec: UNKNOWN } };
    expect((await provider.check!(inputs, previewSpec as unknown as ResourceInputs)).failures ?? []).toEqual([]);
    const previewNested = withSpec(inputs, (spec) => {
      spec.unknownYet = UNKNOWN;
    });
    expect((await provider.check!(inputs, previewNested)).failures ?? []).toEqual([]);
  });

  it('diff: only the document counts; managedBy, gitCommit and sourceFile do not', async () => {
    const provider = registryProvider(c.kind);
    const inputs = inputsByKind.get(c.kind)!;
    const other: ResourceInputs = {
      ...clone(inputs),
      managedBy: 'roster',
      gitCommit: 'a'.repeat(40),
      sourceFile: 'moved/elsewhere.yaml',
    };
    const same = await provider.diff!(`${sandbox}/${c.kind}/${c.name}`, inputs, other);
    expect(same.changes).toBe(false);
    expect(same.replaces ?? []).toEqual([]);
    const changed = await provider.diff!(`${sandbox}/${c.kind}/${c.name}`, inputs, withSpec(inputs, c.change));
    expect(changed.changes).toBe(true);
    expect(changed.replaces ?? []).toEqual([]);
  });

  it('create -> read -> update -> replace diff -> delete -> delete again -> read', async () => {
    const inputs = inputsByKind.get(c.kind)!;
    const id = `${sandbox}/${c.kind}/${c.name}`;

    // create (configured through configure())
    const provider = await configured(c.kind, 'configure');
    const created = await provider.create(inputs);
    expect(created.id).toBe(id);
    expectJsonSafe(created.outs);
    expect(created.outs).toMatchObject({ ...inputs, revision: 1 });
    expect(created.outs.appliedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const row = await registryRow(c.kind, c.name);
    expect(row).toMatchObject({
      revision: 1,
      spec_hash: inputs.specHash,
      document: inputs.document,
      managed_by: 'pulumi',
      source_file: inputs.sourceFile,
    });
    expect(await revisions(c.kind, c.name)).toEqual([
      { revision: 1, operation: 'create', document: inputs.document, spec_hash: inputs.specHash },
    ]);

    // read (a provider configured by property, as a fresh process would be)
    const reader = await configured(c.kind, 'property');
    const read = await reader.read!(id, created.outs);
    expect(read.id).toBe(id);
    expectJsonSafe(read.props);
    expect(read.props).toMatchObject({
      sandbox,
      kind: c.kind,
      name: c.name,
      document: inputs.document,
      revision: 1,
      managedBy: 'pulumi',
    });

    // update in place
    const changed = withSpec(inputs, c.change);
    expect((await provider.check!(inputs, changed)).failures ?? []).toEqual([]);
    const updated = await provider.update!(id, created.outs, changed);
    expectJsonSafe(updated.outs);
    expect(updated.outs).toMatchObject({ document: changed.document, revision: 2 });
    expect(updated.outs!.specHash).not.toBe(inputs.specHash);
    const rowAfterUpdate = await registryRow(c.kind, c.name);
    expect(rowAfterUpdate?.revision).toBe(2);
    expect(rowAfterUpdate?.document).toEqual(changed.document);
    expect(rowAfterUpdate?.document).not.toEqual(inputs.document);
    const afterUpdate = await revisions(c.kind, c.name);
    expect(afterUpdate.map((r) => [r.revision, r.operation])).toEqual([
      [1, 'create'],
      [2, 'update'],
    ]);
    expect(afterUpdate[1]?.document).toEqual(changed.document);

    // a change of an immutable field is a replacement
    if (c.immutable) {
      const replaced = await provider.diff!(id, updated.outs as ResourceInputs, withSpec(changed, c.immutable.change));
      expect(replaced.changes).toBe(true);
      expect(replaced.replaces).toEqual([c.immutable.path]);
      expect(replaced.deleteBeforeReplace).toBe(true);
    } else {
      const renamed = await provider.diff!(id, updated.outs as ResourceInputs, { ...changed, name: 'other-name' });
      expect(renamed.replaces).toEqual(['name']);
    }

    // delete, then delete again (idempotent), then read (gone)
    await provider.delete!(id, updated.outs as ResourceInputs);
    expect(await registryRow(c.kind, c.name)).toBeUndefined();
    const afterDelete = await revisions(c.kind, c.name);
    expect(afterDelete.map((r) => [r.revision, r.operation])).toEqual([
      [1, 'create'],
      [2, 'update'],
      [3, 'delete'],
    ]);
    expect(afterDelete[2]?.document).toBeNull();
    await provider.delete!(id, updated.outs as ResourceInputs);
    expect(await revisions(c.kind, c.name)).toHaveLength(3);
    const gone = await reader.read!(id, updated.outs);
    expect(gone.id).toBeUndefined();
    expect(gone.props).toBeUndefined();
  });
});

describe('read after the registry was edited outside Roster (pulumi refresh)', () => {
  it('returns the registry document as props and as inputs, the inputs hashed from that document', async () => {
    const inputs = inputsByKind.get('Segment')!;
    const id = `${sandbox}/Segment/${inputs.name}`;
    const provider = await configured('Segment', 'configure');
    await provider.create(inputs);
    await pool.query(
      `update "roster_${sandbox}".resources set document = jsonb_set(document, '{metadata,description}', '"edited in SQL"')
        where kind = 'Segment' and name = $1`,
      [inputs.name],
    );
    const edited = withSpec(inputs, () => {});
    edited.document.metadata.description = 'edited in SQL';

    const read = await provider.read!(id, inputs);
    expectJsonSafe(read.inputs);
    expect(read.props.document).toEqual(edited.document);
    // The engine diffs the files against these inputs after a refresh, so they are the runtime's.
    expect(read.inputs).toEqual({ ...edited, specHash: contentHash(edited.document) });
    expect(read.inputs.specHash).not.toBe(inputs.specHash);
    await provider.delete!(id, inputs);
  });
});
