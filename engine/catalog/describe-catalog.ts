import type { ObjectMapping, SourceSpec } from '../../schemas/generated/resource-types';
import { type FieldSpec, PRESET_MAPPINGS } from '../sources/preset-mappings';
import type { ObjectEntity } from '../sources/source-presets';
import { type AttributeCatalog, type AttributeType, type CatalogEntity, OPERATORS_BY_TYPE } from './attribute-catalog';
import { CATALOG_ENTITIES } from './builtin-attributes';
import { describeFieldSpec } from './describe-field-spec';
import { LINK_FIELDS, MAPPED_CATALOG_ENTITY } from './mapping-targets';

/** One attribute as `roster catalog` and docs/attributes.md show it. */
export interface AttributeDescription {
  name: string;
  type: AttributeType;
  description: string;
  /** eq/neq/in/notIn ignore case. */
  caseInsensitive: boolean;
  operators: readonly string[];
  /** `Source/name` for a custom field; absent for a built-in one. */
  declaredBy?: string;
  /** What fills it: `<object>: <source field>`, e.g. `salesforce-crm/Contact: Email`. */
  filledBy: string[];
}

/** A link field of a mapped object: it takes the source key of the related record. */
export interface LinkDescription {
  /** The object entity (`person`, `opportunityPerson`...) whose mapping has the link. */
  objectEntity: ObjectEntity;
  name: string;
  filledBy: string[];
}

export interface EntityDescription {
  entity: CatalogEntity;
  /** Where segments read this entity's attributes. */
  usedIn: string;
  attributes: AttributeDescription[];
}

/** A mapped object, as far as the catalog cares: its name, entity, preset and own fields. */
export interface MappedObject {
  /** `Source/object` or a preset name, as shown in `filledBy`. */
  label: string;
  entity: ObjectEntity;
  preset?: ObjectMapping['preset'];
  fields?: ObjectMapping['fields'];
}

/** Where conditions and destinations read each entity's attributes. */
export const ENTITY_USE: Readonly<Record<CatalogEntity, string>> = {
  person: 'the subject of person segments; `persons: { where }` from an account; destination `fields` by name',
  account:
    'the subject of account segments; `account.<name>` or `account: {...}` from a person or an opportunity; `parent.<name>` from an account; `accountRelations: { where }` from a person; destination `fields` as `account.<name>`',
  opportunity: '`opportunities: { where }` from a person (its contact roles) or an account',
  opportunityRole: 'the `role` and `primary` filters of `opportunities` from a person',
  accountRelation: 'the `role`, `primary` and `active` filters of `accountRelations` and `persons`',
  campaign: '`campaigns: { where }` from a person',
  campaignMembership: 'the `status` filter of `campaigns`',
  marketingList: "`lists: { where }` from a person (`addedAt` is the membership's)",
  event: '`events: { where }` from a person',
};

/**
 * The catalog with, for each attribute, its operators and what fills it among `objects` (a
 * project's source objects, or the presets themselves). Pure.
 */
export function describeCatalog(catalog: AttributeCatalog, objects: readonly MappedObject[]): EntityDescription[] {
  const fills = fillsOf(objects);
  return CATALOG_ENTITIES.map((entity) => ({
    entity,
    usedIn: ENTITY_USE[entity],
    attributes: [...(catalog.get(entity)?.values() ?? [])].map((a) => ({
      name: a.name,
      type: a.type,
      description: a.description,
      caseInsensitive: a.caseInsensitive === true,
      operators: OPERATORS_BY_TYPE[a.type],
      ...(a.custom ? { declaredBy: a.custom.declaredBy } : {}),
      filledBy: fills.get(`${entity}.${a.name}`) ?? [],
    })),
  }));
}

/** The link fields of every object entity, with what fills them among `objects`. */
export function describeLinks(objects: readonly MappedObject[]): LinkDescription[] {
  const fills = fillsOf(objects);
  return (Object.keys(LINK_FIELDS) as ObjectEntity[]).flatMap((objectEntity) =>
    LINK_FIELDS[objectEntity].map((name) => ({
      objectEntity,
      name,
      filledBy: fills.get(`link:${objectEntity}.${name}`) ?? [],
    })),
  );
}

/** The objects of a project's sources. */
export function sourceObjects(sources: readonly { name: string; spec: SourceSpec }[]): MappedObject[] {
  return sources.flatMap((source) =>
    source.spec.objects.map((object) => ({
      label: `${source.name}/${object.name}`,
      entity: object.entity,
      ...(object.preset ? { preset: object.preset } : {}),
      ...(object.fields ? { fields: object.fields } : {}),
    })),
  );
}

/** `entity.attribute` or `link:objectEntity.link` -> `label: recipe` entries, in object order. */
function fillsOf(objects: readonly MappedObject[]): Map<string, string[]> {
  const fills = new Map<string, string[]>();
  const add = (key: string, text: string) => fills.set(key, [...(fills.get(key) ?? []), text]);
  for (const object of objects) {
    const preset = object.preset ? PRESET_MAPPINGS[object.preset] : undefined;
    const recipes = new Map<string, FieldSpec>(Object.entries({ ...preset?.fields, ...preset?.links }));
    for (const [name, spec] of Object.entries(object.fields ?? {})) {
      const from = typeof spec === 'string' ? spec : spec?.from;
      // Ingestion keeps an account's domain bare whatever column fills it (compile-mapping.ts).
      if (from !== undefined)
        recipes.set(name, object.entity === 'account' && name === 'domain' ? { from, transform: 'stripUrl' } : from);
    }
    const entity = MAPPED_CATALOG_ENTITY[object.entity];
    for (const [name, spec] of recipes) {
      const isLink = LINK_FIELDS[object.entity].includes(name);
      add(
        isLink ? `link:${object.entity}.${name}` : `${entity}.${name}`,
        `${object.label}: ${describeFieldSpec(spec)}`,
      );
    }
  }
  return fills;
}
