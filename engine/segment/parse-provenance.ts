import type { CatalogEntity } from '../catalog/attribute-catalog';
import type { ProvenanceNode } from './condition-ast';
import type { ConditionFinding } from './condition-finding';

/**
 * `fromSource` / `hasIdentity`: facts of the records a person or an account was stitched from, so
 * they apply where the scope is a profile. Whether the source or namespace exists is checked with
 * the other resources (the graph for sources, `checkSegments` for namespaces).
 */
export function parseProvenance(
  kind: ProvenanceNode['kind'],
  name: string,
  entity: CatalogEntity,
  pointer: string,
): ProvenanceNode | ConditionFinding {
  if (entity !== 'person' && entity !== 'account') {
    const what = kind === 'fromSource' ? 'records from a source' : 'identities';
    return {
      code: 'CONFIG_CONDITION',
      pointer,
      message: `${kind} applies to persons and accounts (their ${what}), not to ${entity}; use it in a person or account scope`,
    };
  }
  return { kind, name, subject: entity, pointer };
}
