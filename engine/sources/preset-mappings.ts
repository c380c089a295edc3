import type { PresetName } from './source-presets';

/**
 * How a source field becomes a value: one field, the first non-empty of several, a constant, or a
 * lookup table; `when` restricts it to records whose field has one of the given values.
 */
export type FieldSpec =
  | string
  | string[]
  | {
      from?: string | string[];
      constant?: string | boolean;
      lookup?: Readonly<Record<string, string>>;
      /** With `lookup`: the value when the key is not in the table; `{value}` is replaced by the raw value. */
      otherwise?: string;
      transform?: 'stripUrl' | 'emailDomain';
      when?: { field: string; in: readonly string[] };
    };

/** A vendor export mapped onto an entity, so users write no field mappings. */
export interface PresetMapping {
  /** Field(s) forming the source key; several are joined with `:`. */
  key: string | string[];
  /** Used when the key field is absent (Salesforce data-tree exports carry `attributes.referenceId`). */
  keyFallback?: string;
  /** Link values starting with this prefix have it removed (`@ref0010...` in data-tree exports). */
  refPrefix?: string;
  /** A field meaning "deleted in the source" when it is `true`. */
  deletedFlag?: string;
  fields: Readonly<Record<string, FieldSpec>>;
  links: Readonly<Record<string, FieldSpec>>;
}

/**
 * IsClosed / IsWon as given (`true`/`false`), else from Salesforce's standard closed stages.
 * Orgs with custom closed stages should export the flags, which then take precedence.
 */
const STAGE_FLAGS = {
  closed: { true: 'true', false: 'false', 'Closed Won': 'true', 'Closed Lost': 'true' },
  won: { true: 'true', false: 'false', 'Closed Won': 'true' },
} as const;

const SALESFORCE = {
  key: 'Id',
  keyFallback: 'attributes.referenceId',
  refPrefix: '@',
  deletedFlag: 'IsDeleted',
} as const;

/** Marketo activity type ids (Marketo's standard ones) as Roster event types. */
export const MARKETO_ACTIVITY_TYPES: Readonly<Record<string, string>> = {
  '1': 'web.visit',
  '2': 'form.filled',
  '3': 'web.click',
  '6': 'email.sent',
  '7': 'email.delivered',
  '8': 'email.bounced',
  '9': 'email.unsubscribed',
  '10': 'email.opened',
  '11': 'email.clicked',
  '12': 'lead.created',
  '13': 'lead.changed',
  '22': 'score.changed',
};

export const PRESET_MAPPINGS: Readonly<Record<PresetName, PresetMapping>> = {
  'salesforce/Account': {
    ...SALESFORCE,
    fields: {
      name: 'Name',
      industry: 'Industry',
      type: 'Type',
      annualRevenue: 'AnnualRevenue',
      numberOfEmployees: 'NumberOfEmployees',
      city: 'BillingCity',
      state: 'BillingState',
      country: 'BillingCountry',
      accountSource: 'AccountSource',
      domain: { from: 'Website', transform: 'stripUrl' },
      createdAt: 'CreatedDate',
      updatedAt: 'LastModifiedDate',
    },
    links: { parent: 'ParentId' },
  },
  'salesforce/Contact': {
    ...SALESFORCE,
    fields: {
      firstName: 'FirstName',
      lastName: 'LastName',
      email: 'Email',
      emailDomain: { from: 'Email', transform: 'emailDomain' },
      jobTitle: 'Title',
      department: 'Department',
      phone: 'Phone',
      city: 'MailingCity',
      state: 'MailingState',
      country: 'MailingCountry',
      leadSource: 'LeadSource',
      emailOptOut: 'HasOptedOutOfEmail',
      personType: { constant: 'contact' },
      createdAt: 'CreatedDate',
      updatedAt: 'LastModifiedDate',
    },
    links: { account: 'AccountId' },
  },
  'salesforce/Lead': {
    ...SALESFORCE,
    fields: {
      firstName: 'FirstName',
      lastName: 'LastName',
      email: 'Email',
      emailDomain: { from: 'Email', transform: 'emailDomain' },
      jobTitle: 'Title',
      phone: 'Phone',
      city: 'City',
      state: 'State',
      country: 'Country',
      leadStatus: 'Status',
      leadSource: 'LeadSource',
      isConverted: 'IsConverted',
      convertedAt: 'ConvertedDate',
      emailOptOut: 'HasOptedOutOfEmail',
      personType: { constant: 'lead' },
      createdAt: 'CreatedDate',
      updatedAt: 'LastModifiedDate',
    },
    links: { account: 'ConvertedAccountId', convertedTo: 'ConvertedContactId' },
  },
  'salesforce/Opportunity': {
    ...SALESFORCE,
    fields: {
      name: 'Name',
      stage: 'StageName',
      amount: 'Amount',
      probability: 'Probability',
      // Data-tree exports often carry only StageName: derive closed/won from the stage when the flags are absent.
      isClosed: { from: ['IsClosed', 'StageName'], lookup: STAGE_FLAGS.closed, otherwise: 'false' },
      isWon: { from: ['IsWon', 'StageName'], lookup: STAGE_FLAGS.won, otherwise: 'false' },
      closeDate: 'CloseDate',
      type: 'Type',
      leadSource: 'LeadSource',
      forecastCategory: 'ForecastCategoryName',
      createdAt: 'CreatedDate',
    },
    links: { account: 'AccountId' },
  },
  'salesforce/OpportunityContactRole': {
    ...SALESFORCE,
    fields: { role: 'Role', isPrimary: 'IsPrimary' },
    links: { opportunity: 'OpportunityId', person: 'ContactId' },
  },
  'salesforce/Campaign': {
    ...SALESFORCE,
    fields: { name: 'Name', type: 'Type', status: 'Status', startDate: 'StartDate', endDate: 'EndDate' },
    links: {},
  },
  'salesforce/CampaignMember': {
    ...SALESFORCE,
    fields: { status: 'Status', hasResponded: 'HasResponded' },
    links: { campaign: 'CampaignId', person: ['ContactId', 'LeadId'] },
  },
  'marketo/leads': {
    key: 'id',
    fields: {
      firstName: 'firstName',
      lastName: 'lastName',
      email: 'email',
      emailDomain: { from: 'email', transform: 'emailDomain' },
      jobTitle: 'title',
      phone: 'phone',
      city: 'city',
      state: 'state',
      country: 'country',
      leadSource: 'leadSource',
      leadStatus: 'leadStatus',
      personType: 'personType',
      ecid: 'ecid',
      marketoLeadId: 'id',
      emailOptOut: 'unsubscribed',
      createdAt: 'createdAt',
      updatedAt: 'updatedAt',
    },
    links: { account: 'sfdcAccountId' },
  },
  'marketo/activities': {
    key: 'marketoGUID',
    fields: {
      type: { from: 'activityTypeId', lookup: MARKETO_ACTIVITY_TYPES, otherwise: 'marketo.activity.{value}' },
      occurredAt: 'activityDate',
      url: { from: 'primaryAttributeValue', when: { field: 'activityTypeId', in: ['1', '3'] } },
      campaign: {
        from: 'primaryAttributeValue',
        when: { field: 'activityTypeId', in: ['6', '7', '8', '9', '10', '11'] },
      },
    },
    links: { person: 'leadId' },
  },
  'marketo/program-members': {
    key: ['programId', 'leadId'],
    fields: { status: 'statusName' },
    links: { campaign: 'programId', person: 'leadId' },
  },
};
