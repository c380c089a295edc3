/**
 * Each registry provider survives Pulumi's closure serialization (what `pulumi.dynamic.Resource`
 * puts in the `__provider` input, and so in Pulumi state) and the serialized text carries no
 * connection URL and no secret value. The text is also loaded back the way the dynamic-provider
 * host loads it, to prove it is self-contained.
 */
import * as pulumi from '@pulumi/pulumi';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ResourceKind } from '../../engine/config/resource';
import { declareRosterResources } from '../../providers/pulumi-program';
import { registryProvider } from '../../providers/registry-provider';
import '../../providers/runtime/provider-runtime';

// The environment is set before the providers (and the runtime they load) are imported (vi.hoisted
// runs before the imports), so that a module capturing it at load time would show up in the text.
const { SECRET, savedEnv } = vi.hoisted(() => {
  const saved = { MARKETO_CLIENT_SECRET: process.env.MARKETO_CLIENT_SECRET, DATABASE_URL: process.env.DATABASE_URL };
  process.env.MARKETO_CLIENT_SECRET = 's3cr3t-test-value';
  // Used when the environment names no database: serialized text must not contain it either.
  process.env.DATABASE_URL ||= 'postgres://roster:hunter2@db.invalid:5432/roster_serialization';
  return { SECRET: 's3cr3t-test-value', savedEnv: saved };
});
const KINDS: ResourceKind[] = ['Source', 'IdentityMapping', 'Segment', 'Destination'];
const PROVIDER_METHODS = ['configure', 'check', 'diff', 'create', 'update', 'delete', 'read'];

afterAll(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** What `pulumi.dynamic.Resource` does (dynamic/index.js, serializeFunctionMaybeSecret). */
function serializeAsDynamicResource(provider: pulumi.dynamic.ResourceProvider) {
  return pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
}

/** What the dynamic-provider host does with `__provider`: `requireFromString(text).handler()`. */
function loadAsHost(text: string): Record<string, unknown> {
  const requireFromString = require('require-from-string') as (code: string) => { handler: () => unknown };
  return requireFromString(text).handler() as Record<string, unknown>;
}

function expectNoCredentials(text: string): void {
  expect(text).not.toContain('postgres://');
  expect(text).not.toContain('postgresql://');
  expect(text).not.toContain(process.env.DATABASE_URL!);
  expect(text).not.toContain(SECRET);
}

describe.each(KINDS)('the %s provider, serialized', (kind) => {
  it('serializes as pulumi.dynamic.Resource does, without credentials, and loads back as the host loads it', async () => {
    // As the resource classes declare it: unconfigured (configure() runs only in the provider host).
    const provider = registryProvider(kind);
    const serialized = await serializeAsDynamicResource(provider);
    expect(serialized.containsSecrets).toBe(false);
    expectNoCredentials(serialized.text);
    expect(serialized.text).toContain('exports.handler');
    expect(serialized.text).toContain(JSON.stringify(kind));

    const loaded = loadAsHost(serialized.text);
    for (const method of PROVIDER_METHODS) expect(typeof loaded[method], method).toBe('function');
  });

  it('serializes as a factory function, without credentials', async () => {
    const serialized = await pulumi.runtime.serializeFunction(() => registryProvider(kind), {
      isFactoryFunction: true,
    });
    expectNoCredentials(serialized.text);
    expect(serialized.text).toContain(JSON.stringify(kind));
    // With isFactoryFunction the factory runs at load time: `handler` is the provider itself.
    const requireFromString = require('require-from-string') as (code: string) => { handler: Record<string, unknown> };
    const loaded = requireFromString(serialized.text).handler;
    for (const method of PROVIDER_METHODS) expect(typeof loaded[method], method).toBe('function');
  });

  it('the deserialized check() works on its own (it finds the provider runtime at call time)', async () => {
    const loaded = loadAsHost(
      (await serializeAsDynamicResource(registryProvider(kind))).text,
    ) as unknown as Required<pulumi.dynamic.ResourceProvider>;
    const result = await loaded.check(
      {},
      { kind, document: { apiVersion: 'roster/v1', kind, metadata: {}, spec: {} } },
    );
    expect(result.failures?.length).toBeGreaterThan(0);
  });
});

describe('providers declared by the Pulumi program', () => {
  it('carry no credentials in their __provider input', async () => {
    const providerTexts: string[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          providerTexts.push(String(args.inputs.__provider));
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      'roster',
      'dev',
      false,
    );
    const declared = await declareRosterResources({ configDir: 'examples/acme', sandbox: 'dev' });
    await Promise.all([...declared.values()].map((r) => new Promise((resolve) => r.urn.apply(resolve))));
    expect(providerTexts).toHaveLength(14);
    for (const text of providerTexts) {
      expect(text).toContain('exports.handler');
      expectNoCredentials(text);
    }
  });
});
