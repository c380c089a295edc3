import type { Pool } from 'pg';
import { registryProvider } from './registry-provider';
import './runtime/provider-runtime'; // registers the runtime in this process (see registry-provider.ts)
import type { ProvidersByKind } from '../engine/deploy/execute-plan';

/**
 * The same providers `pulumi up` uses, for `roster apply`, `destroy` and `test`, writing through the
 * caller's pool: they run in this process, so they need no URL and no second pool (decision 59).
 * Their callers hold the sandbox's apply lock around them (a throwaway sandbox for `roster test`),
 * so the providers do not take it as Pulumi's do.
 */
export function localProviders(pool: Pool): ProvidersByKind {
  const make = (kind: keyof ProvidersByKind) => Object.assign(registryProvider(kind), { pool, callerHoldsLock: true });
  return {
    Source: make('Source'),
    IdentityMapping: make('IdentityMapping'),
    Segment: make('Segment'),
    Destination: make('Destination'),
  };
}
