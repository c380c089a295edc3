import type { ObjectEntity } from '../sources/source-presets';
import type { CatalogEntity } from './attribute-catalog';

/** The catalog entity whose attributes an object mapping of `entity` fills. */
export const MAPPED_CATALOG_ENTITY: Readonly<Record<ObjectEntity, CatalogEntity>> = {
  account: 'account',
  person: 'person',
  opportunity: 'opportunity',
  opportunityPerson: 'opportunityRole',
  accountPerson: 'accountRelation',
  campaign: 'campaign',
  campaignMember: 'campaignMembership',
  marketingList: 'marketingList',
  marketingListMember: 'marketingList',
  event: 'event',
};

/**
 * Mapping targets that are links to other rows rather than attributes: each takes the source key
 * of the related record (e.g. a Contact's `AccountId` fills `account`).
 */
export const LINK_FIELDS: Readonly<Record<ObjectEntity, readonly string[]>> = {
  account: ['parent'],
  person: ['account', 'convertedTo'],
  opportunity: ['account'],
  opportunityPerson: ['opportunity', 'person'],
  accountPerson: ['account', 'person'],
  campaign: [],
  campaignMember: ['campaign', 'person'],
  marketingList: [],
  marketingListMember: ['list', 'person'],
  event: ['person'],
};
