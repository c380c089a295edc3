import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { Resource, SourceResourceItem } from '../config/resource';
import type { AttributeCatalog, AttributeDefinition, CatalogEntity } from './attribute-catalog';
import { builtinAttributes, CATALOG_ENTITIES } from './builtin-attributes';

/** Custom-field entities of the Source schema, mapped to catalog entities. */
const CUSTOM_FIELD_ENTITY: Record<string, CatalogEntity> = {
  account: 'account',
  person: 'person',
  opportunity: 'opportunity',
  campaign: 'campaign',
  marketingList: 'marketingList',
  event: 'event',
};

/**
 * The attribute catalog of a configuration: the built-in B2B model plus every source's custom
 * fields. A custom field may not shadow a built-in one; two sources may declare the same field only
 * with the same type.
 */
export function buildCatalog(resources: readonly Resource[]): { catalog: AttributeCatalog; problems: Problem[] } {
  const catalog = new Map(CATALOG_ENTITIES.map((entity) => [entity, builtinAttributes(entity)]));
  const problems: Problem[] = [];
  for (const source of resources.filter((r): r is SourceResourceItem => r.kind === 'Source')) {
    for (const [index, field] of (source.spec.customFields ?? []).entries()) {
      const entity = CUSTOM_FIELD_ENTITY[field.entity]!;
      const attributes = catalog.get(entity)!;
      const existing = attributes.get(field.name);
      const pointer = `/spec/customFields/${index}/name`;
      if (existing && !existing.custom) {
        problems.push(
          problemAt(
            source,
            pointer,
            'CONFIG_CUSTOM_FIELD',
            `"${field.name}" is a built-in ${entity} attribute; use it directly, or pick another name`,
          ),
        );
      } else if (existing && existing.type !== field.type) {
        problems.push(
          problemAt(
            source,
            pointer,
            'CONFIG_CUSTOM_FIELD',
            `"${field.name}" is already declared as ${existing.type} by ${existing.custom!.declaredBy}; declare it with the same type`,
          ),
        );
      } else if (!existing) {
        const definition: AttributeDefinition = {
          name: field.name,
          type: field.type,
          description: field.description ?? '',
          custom: { declaredBy: source.key },
        };
        attributes.set(field.name, definition);
      }
    }
  }
  return { catalog, problems };
}
