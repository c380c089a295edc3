import type { IdentityMappingSpec } from '../../schemas/generated/resource-types';
import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { SegmentResourceItem } from '../config/resource';
import type { ConditionNode } from '../segment/condition-ast';
import { didYouMeanSuffix } from '../util/did-you-mean';

/** Identity namespaces declared by the identity mappings, per entity. */
export type DeclaredNamespaces = Record<'person' | 'account', ReadonlySet<string>>;

/** Takes resources or applied documents (`{ kind, spec }`), so a file previewed against a sandbox is checked too. */
export function declaredNamespaces(resources: readonly { kind: string; spec: unknown }[]): DeclaredNamespaces {
  const mappings = resources.filter((r) => r.kind === 'IdentityMapping').map((r) => r.spec as IdentityMappingSpec);
  const names = (entity: 'person' | 'account') =>
    new Set(mappings.flatMap((m) => (m[entity]?.namespaces ?? []).map((n) => n.name)));
  return { person: names('person'), account: names('account') };
}

/**
 * `hasIdentity` must name a namespace some identity mapping declares for the scope's entity (a
 * person namespace where persons are compared): an unknown one would silently match nobody.
 */
export function identityReferenceProblems(
  segment: SegmentResourceItem,
  node: ConditionNode,
  namespaces: DeclaredNamespaces,
): Problem[] {
  return provenanceNodes(node).flatMap((found) => {
    const declared = namespaces[found.subject];
    if (found.kind !== 'hasIdentity' || declared.has(found.name)) return [];
    const other = found.subject === 'person' ? 'account' : 'person';
    const hint = namespaces[other].has(found.name)
      ? `; it is ${other === 'account' ? 'an account' : 'a person'} namespace: test it under "${other === 'account' ? 'account' : 'persons'}"`
      : didYouMeanSuffix(found.name, declared) ||
        (declared.size > 0
          ? `; ${found.subject} namespaces: ${[...declared].sort().join(', ')}`
          : `; no IdentityMapping declares ${found.subject} namespaces`);
    const message = `identity namespace "${found.name}" is not declared for ${found.subject}s${hint}`;
    return [problemAt(segment, found.pointer, 'CONFIG_UNKNOWN_REFERENCE', message)];
  });
}

/**
 * `fromSource` must name a declared source. `roster validate` reports that from the graph (it is a
 * by-name reference); this is for a segment file previewed against what a sandbox has applied.
 */
export function sourceReferenceProblems(
  segment: SegmentResourceItem,
  node: ConditionNode,
  sources: ReadonlySet<string>,
): Problem[] {
  return provenanceNodes(node).flatMap((found) => {
    if (found.kind !== 'fromSource' || sources.has(found.name)) return [];
    const hint =
      didYouMeanSuffix(found.name, sources) ||
      (sources.size > 0 ? `; applied Sources: ${[...sources].sort().join(', ')}` : '; no Source is applied');
    return [
      problemAt(segment, found.pointer, 'CONFIG_UNKNOWN_REFERENCE', `Source/${found.name} is not applied${hint}`),
    ];
  });
}

function provenanceNodes(node: ConditionNode): Extract<ConditionNode, { kind: 'fromSource' | 'hasIdentity' }>[] {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.flatMap(provenanceNodes);
    case 'not':
      return provenanceNodes(node.child);
    case 'relation':
    case 'events':
      return node.where ? provenanceNodes(node.where) : [];
    case 'fromSource':
    case 'hasIdentity':
      return [node];
    case 'compare':
    case 'segment':
      return [];
  }
}
