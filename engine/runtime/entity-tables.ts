import type { AttributeType } from '../catalog/attribute-catalog';
import type { ObjectEntity } from '../sources/source-presets';

/** A typed column of an entity table, filled from the catalog attribute of the same (camelCase) name. */
export interface EntityColumn {
  attribute: string;
  column: string;
  type: AttributeType;
  /**
   * The column is NOT NULL in the runtime table (written `name:type!` below): a record without a
   * value for it is quarantined while mapping, never left for PostgreSQL to reject the whole run.
   * A test compares these flags with the tables' NOT NULL columns.
   */
  required: boolean;
}

/** Where records of an entity land, and what they can carry. */
export interface EntityTable {
  table: string;
  columns: readonly EntityColumn[];
  /** Link name -> column holding the related record's source key (resolved to ids later). */
  links: Readonly<Record<string, string>>;
  /** Records of this entity carry identities and are stitched into profiles. */
  stitched?: 'person' | 'account';
}

function columns(spec: string): EntityColumn[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((entry) => {
      const [attribute, declared] = entry.split(':') as [string, string];
      const type = declared.replace(/!$/, '') as AttributeType;
      const column = attribute.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      return { attribute, column, type, required: declared.endsWith('!') };
    });
}

/** One per entity of the Source schema; columns match migrations/0002_b2b_model.sql. */
export const ENTITY_TABLES: Readonly<Record<ObjectEntity, EntityTable>> = {
  account: {
    table: 'account_records',
    columns:
      columns(`name:string domain:string industry:string type:string annualRevenue:number numberOfEmployees:number
      city:string state:string country:string accountSource:string createdAt:datetime updatedAt:datetime`),
    links: { parent: 'parent_key' },
    stitched: 'account',
  },
  person: {
    table: 'person_records',
    columns: columns(`email:string emailDomain:string firstName:string lastName:string jobTitle:string department:string
      phone:string city:string state:string country:string personType:string leadStatus:string leadSource:string
      isConverted:boolean convertedAt:datetime emailOptOut:boolean ecid:string marketoLeadId:string
      createdAt:datetime updatedAt:datetime`),
    links: { account: 'account_key', convertedTo: 'converted_to_key' },
    stitched: 'person',
  },
  opportunity: {
    table: 'opportunities',
    columns: columns(`name:string stage:string amount:number probability:number isClosed:boolean isWon:boolean
      closeDate:date type:string leadSource:string forecastCategory:string createdAt:datetime`),
    links: { account: 'account_key' },
  },
  opportunityPerson: {
    table: 'opportunity_roles',
    columns: columns('role:string isPrimary:boolean'),
    links: { opportunity: 'opportunity_key', person: 'person_key' },
  },
  accountPerson: {
    table: 'account_person_relations',
    columns: columns('role:string isPrimary:boolean isActive:boolean startDate:date endDate:date'),
    links: { account: 'account_key', person: 'person_key' },
  },
  campaign: {
    table: 'campaigns',
    columns: columns('name:string type:string status:string startDate:date endDate:date'),
    links: {},
  },
  campaignMember: {
    table: 'campaign_members',
    columns: columns('status:string hasResponded:boolean'),
    links: { campaign: 'campaign_key', person: 'person_key' },
  },
  marketingList: { table: 'marketing_lists', columns: columns('name:string'), links: {} },
  marketingListMember: {
    table: 'marketing_list_members',
    columns: columns('addedAt:datetime'),
    links: { list: 'list_key', person: 'person_key' },
  },
  event: {
    table: 'events',
    columns: columns('type:string! occurredAt:datetime! url:string campaign:string'),
    links: { person: 'person_key' },
  },
};
