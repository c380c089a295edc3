import type { ResourceKey } from '../config/resource';

/** Type of an attribute; decides which operators a segment may apply to it. */
export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'datetime';

/** Entities whose attributes conditions and destinations can read. */
export type CatalogEntity =
  | 'person'
  | 'account'
  | 'opportunity'
  | 'opportunityRole'
  | 'accountRelation'
  | 'campaign'
  | 'campaignMembership'
  | 'marketingList'
  | 'event';

export interface AttributeDefinition {
  name: string;
  type: AttributeType;
  description: string;
  /** String comparisons ignore case (emails, domains). */
  caseInsensitive?: boolean;
  /** Declared by a source's `customFields` (stored in `attrs`), not built in. */
  custom?: { declaredBy: ResourceKey };
}

/** The typed attributes of every entity: the built-in B2B model plus sources' custom fields. */
export type AttributeCatalog = ReadonlyMap<CatalogEntity, ReadonlyMap<string, AttributeDefinition>>;

/** Operators allowed per attribute type. `exists`/`notExists` apply to every type. */
export const OPERATORS_BY_TYPE: Readonly<Record<AttributeType, readonly string[]>> = {
  string: ['eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'matches', 'exists', 'notExists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'exists', 'notExists'],
  boolean: ['eq', 'neq', 'exists', 'notExists'],
  date: ['eq', 'before', 'after', 'between', 'within', 'olderThan', 'exists', 'notExists'],
  datetime: ['eq', 'before', 'after', 'between', 'within', 'olderThan', 'exists', 'notExists'],
};

/** Single-valued relations reachable with a dotted attribute (`account.industry`). */
export const TO_ONE_RELATIONS: Readonly<Partial<Record<CatalogEntity, Readonly<Record<string, CatalogEntity>>>>> = {
  person: { account: 'account' },
  account: { parent: 'account' },
  opportunity: { account: 'account' },
  accountRelation: { account: 'account' },
};
