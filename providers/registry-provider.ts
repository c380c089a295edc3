import type * as pulumi from '@pulumi/pulumi';
import type { ResourceKind } from '../engine/config/resource';
import type { ResourceInputs } from '../engine/plan/resource-document';
import type { ProviderConfig } from './runtime/provider-runtime';

type Runtime = typeof import('./runtime/provider-runtime');

/**
 * Loads the provider runtime at call time. In the CLI it is already loaded (and registered on
 * `globalThis`); in Pulumi's dynamic-provider host it is found as the installed package
 * (`roster-cdp/provider-runtime`) or, in a checkout of this repository, under the working directory.
 * Kept free of captured values: Pulumi serializes this function with the providers.
 */
function loadRuntime(): Runtime {
  const registered = (globalThis as { __rosterProviderRuntime?: Runtime }).__rosterProviderRuntime;
  if (registered) return registered;
  try {
    return require('roster-cdp/provider-runtime');
  } catch {
    return require(require('node:path').join(process.cwd(), 'providers', 'runtime', 'index.js'));
  }
}

/**
 * What the runtime needs from a provider: its database (the resource's own `databaseUrl` input
 * first, then the provider's; the pool when `localProviders` gave one, in the caller's process — a
 * serialized provider never has one) and whether its caller holds the sandbox lock.
 */
function providerConfig(self: unknown, inputs: { databaseUrl?: string } | undefined): ProviderConfig {
  const { databaseUrl, pool, callerHoldsLock } = self as ProviderConfig;
  return { databaseUrl: inputs?.databaseUrl || databaseUrl, pool, callerHoldsLock };
}

/**
 * The dynamic provider of one kind. Every method opens what it needs inside itself (Pulumi runs
 * them in another process from serialized text), returns JSON-safe values, and takes the database
 * URL from `configure` (stack config `roster:databaseUrl`) or `DATABASE_URL`.
 */
export function registryProvider(kind: ResourceKind): pulumi.dynamic.ResourceProvider & ProviderConfig {
  return {
    async configure(request: pulumi.dynamic.ConfigureRequest) {
      const url = request.config.get('roster:databaseUrl');
      if (url) (this as { databaseUrl?: string }).databaseUrl = url;
    },
    async check(_olds: ResourceInputs, news: ResourceInputs) {
      const failures = loadRuntime().checkInputs({ ...news, kind });
      return failures.length > 0 ? { inputs: news, failures } : { inputs: news };
    },
    async diff(_id: string, olds: ResourceInputs, news: ResourceInputs) {
      const diff = loadRuntime().diffInputs(olds, news);
      return { changes: diff.changes, replaces: diff.replaces, deleteBeforeReplace: true };
    },
    async create(inputs: ResourceInputs) {
      return loadRuntime().createResource(providerConfig(this, inputs), inputs);
    },
    async update(_id: string, olds: ResourceInputs, news: ResourceInputs) {
      return loadRuntime().updateResource(providerConfig(this, news), olds, news);
    },
    async delete(_id: string, props: ResourceInputs) {
      await loadRuntime().deleteResource(providerConfig(this, props), props);
    },
    async read(id: string, props?: ResourceInputs) {
      return loadRuntime().readResource(providerConfig(this, props), id, props);
    },
  };
}
