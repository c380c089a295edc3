import type { Pool } from 'pg';
import { registryProvider } from '../../providers/registry-provider';
import '../../providers/runtime/provider-runtime'; // registers the runtime in this process (see registry-provider.ts)
import type { ProvidersByKind } from './execute-plan';

/**
 * The same providers `pulumi up` uses, for `roster apply`, `destroy` and `test`, writing through the
 * caller's pool: they run in this process, so they need no URL and no second pool (decision 59).
 */
export function localProviders(pool: Pool): ProvidersByKind {
  const make = (kind: keyof ProvidersByKind) => Object.assign(registryProvider(kind), { pool });
  return {
    Source: make('Source'),
    IdentityMapping: make('IdentityMapping'),
    Segment: make('Segment'),
    Destination: make('Destination'),
  };
}
