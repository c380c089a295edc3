import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { IdentityMappingResourceItem, Resource, SourceResourceItem } from '../config/resource';
import type { PartialConfigContext } from '../graph/build-graph';
import { didYouMeanSuffix } from '../util/did-you-mean';

const PERSON_ENTITIES = new Set([
  'person',
  'opportunityPerson',
  'accountPerson',
  'campaignMember',
  'marketingListMember',
  'event',
]);

/**
 * Identity rules: namespaces unique within a mapping, a source stitched by one mapping only, the
 * account-linking namespace declared, and every source's `identities` naming namespaces of the
 * mapping that stitches it (person namespaces for person records, account ones for accounts).
 */
export function checkIdentityMappings(resources: readonly Resource[], context: PartialConfigContext = {}): Problem[] {
  const problems: Problem[] = [];
  const mappings = resources.filter((r): r is IdentityMappingResourceItem => r.kind === 'IdentityMapping');
  const mappingOfSource = new Map<string, IdentityMappingResourceItem>();
  for (const mapping of mappings) {
    problems.push(...checkNamespaces(mapping));
    mapping.spec.sources.forEach((name, i) => {
      const other = mappingOfSource.get(name);
      if (other)
        problems.push(
          problemAt(
            mapping,
            `/spec/sources/${i}`,
            'CONFIG_IDENTITY',
            `Source/${name} is already stitched by ${other.key}; a source belongs to one identity mapping`,
          ),
        );
      else mappingOfSource.set(name, mapping);
    });
  }
  const validMappings = new Set(mappings.map((m) => m.key));
  const unknownMappings =
    context.incomplete ||
    [...(context.declaredKeys ?? [])].some((k) => k.startsWith('IdentityMapping/') && !validMappings.has(k));
  for (const source of resources.filter((r): r is SourceResourceItem => r.kind === 'Source')) {
    const mapping = mappingOfSource.get(source.name);
    // A mapping that failed to parse may list this source: then "no mapping lists it" would be wrong.
    if (mapping || !unknownMappings) problems.push(...checkSourceIdentities(source, mapping));
  }
  return problems;
}

function checkNamespaces(mapping: IdentityMappingResourceItem): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const entity of ['person', 'account'] as const) {
    mapping.spec[entity]?.namespaces.forEach((namespace, i) => {
      if (seen.has(namespace.name))
        problems.push(
          problemAt(
            mapping,
            `/spec/${entity}/namespaces/${i}/name`,
            'CONFIG_IDENTITY',
            `namespace "${namespace.name}" is declared twice; namespace names are unique across person and account`,
          ),
        );
      seen.add(namespace.name);
    });
  }
  const linking = mapping.spec.accountLinking?.byNamespace;
  const accountNames = (mapping.spec.account?.namespaces ?? []).map((n) => n.name);
  if (linking !== undefined && !accountNames.includes(linking)) {
    problems.push(
      problemAt(
        mapping,
        '/spec/accountLinking/byNamespace',
        'CONFIG_IDENTITY',
        `"${linking}" is not an account namespace of this mapping${didYouMeanSuffix(linking, accountNames) || `; declare it under account.namespaces`}`,
      ),
    );
  }
  return problems;
}

function checkSourceIdentities(
  source: SourceResourceItem,
  mapping: IdentityMappingResourceItem | undefined,
): Problem[] {
  const problems: Problem[] = [];
  source.spec.objects.forEach((object, index) => {
    const names = Object.keys(object.identities ?? {});
    if (names.length === 0) return;
    const pointer = `/spec/objects/${index}/identities`;
    if (!mapping) {
      problems.push(
        problemAt(
          source,
          pointer,
          'CONFIG_IDENTITY',
          `identities are declared but no IdentityMapping lists Source/${source.name}; add it to an IdentityMapping's sources`,
        ),
      );
      return;
    }
    const side = object.entity === 'account' ? 'account' : PERSON_ENTITIES.has(object.entity) ? 'person' : undefined;
    const declared = side ? (mapping.spec[side]?.namespaces ?? []).map((n) => n.name) : [];
    for (const name of names) {
      if (declared.includes(name)) continue;
      const hint =
        didYouMeanSuffix(name, declared) ||
        (declared.length > 0
          ? `; ${side} namespaces: ${declared.join(', ')}`
          : `; ${object.entity} records carry no identities`);
      problems.push(
        problemAt(
          source,
          `${pointer}/${name}`,
          'CONFIG_IDENTITY',
          `"${name}" is not a ${side ?? object.entity} namespace of ${mapping.key}${hint}`,
        ),
      );
    }
  });
  return problems;
}
