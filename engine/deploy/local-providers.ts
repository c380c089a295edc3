import { registryProvider } from '../../providers/registry-provider';
import '../../providers/runtime/provider-runtime'; // registers the runtime in this process (see registry-provider.ts)
import type { ProvidersByKind } from './execute-plan';

/**
 * The same providers `pulumi up` uses, configured for `databaseUrl`, for `roster apply` and `destroy`,
 * which hold the sandbox's apply lock around them.
 */
export function localProviders(databaseUrl: string): ProvidersByKind {
  const make = (kind: keyof ProvidersByKind) =>
    Object.assign(registryProvider(kind), { databaseUrl, callerHoldsLock: true });
  return {
    Source: make('Source'),
    IdentityMapping: make('IdentityMapping'),
    Segment: make('Segment'),
    Destination: make('Destination'),
  };
}
