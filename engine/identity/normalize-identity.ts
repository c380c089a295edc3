import type { IdentityMappingSpec, IdentityNamespace } from '../../schemas/generated/resource-types';
import { stripUrl } from '../util/strip-url';

/** Values never used as identities, whatever the configuration says (compared after normalisation). */
export const BUILTIN_BLOCKLIST: readonly string[] = [
  'null',
  'nil',
  'none',
  'n/a',
  'na',
  'unknown',
  'undefined',
  '-',
  '--',
  '0',
  'test',
  'test@test.com',
  'test@example.com',
  'noreply@example.com',
  'no-reply@example.com',
  'example@example.com',
  'email@example.com',
];

/** Default normalisation per namespace type, used when a namespace declares none. */
const DEFAULT_STEPS: Record<IdentityNamespace['type'], NonNullable<IdentityNamespace['normalize']>> = {
  email: ['trim', 'lowercase'],
  'crm-id': ['trim'],
  'marketo-id': ['trim'],
  ecid: ['trim'],
  phone: ['digits'],
  domain: ['trim', 'lowercase', 'stripUrl'],
  duns: ['digits'],
  custom: ['trim'],
};

/** How to normalise and rank identities of one identity mapping. */
export interface IdentityRules {
  namespaces: ReadonlyMap<string, IdentityNamespace & { entity: 'person' | 'account' }>;
  blocklist: ReadonlySet<string>;
  maxIdentitiesPerGraph: number;
}

export function identityRules(spec: IdentityMappingSpec | undefined): IdentityRules {
  const namespaces = new Map<string, IdentityNamespace & { entity: 'person' | 'account' }>();
  for (const entity of ['person', 'account'] as const) {
    for (const namespace of spec?.[entity]?.namespaces ?? []) namespaces.set(namespace.name, { ...namespace, entity });
  }
  const blocklist = new Set([...BUILTIN_BLOCKLIST, ...(spec?.blocklist ?? [])].map((v) => v.trim().toLowerCase()));
  return { namespaces, blocklist, maxIdentitiesPerGraph: spec?.maxIdentitiesPerGraph ?? 50 };
}

/** The normalised value, or undefined when it is empty or blocklisted (it then links nothing). */
export function normalizeIdentity(rules: IdentityRules, namespace: string, raw: string): string | undefined {
  const definition = rules.namespaces.get(namespace);
  let value = raw;
  for (const step of definition?.normalize ?? DEFAULT_STEPS[definition?.type ?? 'custom']) {
    if (step === 'trim') value = value.trim();
    else if (step === 'lowercase') value = value.toLowerCase();
    else if (step === 'digits') value = value.replace(/\D+/g, '');
    else if (step === 'stripUrl') value = stripUrl(value);
    else if (step === 'emailDomain') value = value.slice(value.lastIndexOf('@') + 1);
  }
  if (value === '' || rules.blocklist.has(value.toLowerCase())) return undefined;
  return value;
}
