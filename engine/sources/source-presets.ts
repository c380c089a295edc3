import type { ObjectMapping } from '../../schemas/generated/resource-types';

export type PresetName = NonNullable<ObjectMapping['preset']>;
export type ObjectEntity = ObjectMapping['entity'];

/** What a vendor preset implies about an object: the entity it fills, its key and watermark. */
export interface PresetDefinition {
  entity: ObjectEntity;
  key: string;
  watermark?: string;
  /** Source types the preset's format comes from. */
  sourceTypes: readonly ('file' | 'salesforce' | 'marketo')[];
}

const SALESFORCE = ['file', 'salesforce'] as const;
const MARKETO = ['file', 'marketo'] as const;

/** Presets for Salesforce and Marketo exports; field mappings live with the ingestion code that applies them. */
export const SOURCE_PRESETS: Readonly<Record<PresetName, PresetDefinition>> = {
  'salesforce/Account': { entity: 'account', key: 'Id', watermark: 'SystemModstamp', sourceTypes: SALESFORCE },
  'salesforce/Contact': { entity: 'person', key: 'Id', watermark: 'SystemModstamp', sourceTypes: SALESFORCE },
  'salesforce/Lead': { entity: 'person', key: 'Id', watermark: 'SystemModstamp', sourceTypes: SALESFORCE },
  'salesforce/Opportunity': { entity: 'opportunity', key: 'Id', watermark: 'SystemModstamp', sourceTypes: SALESFORCE },
  'salesforce/OpportunityContactRole': {
    entity: 'opportunityPerson',
    key: 'Id',
    watermark: 'SystemModstamp',
    sourceTypes: SALESFORCE,
  },
  'salesforce/Campaign': { entity: 'campaign', key: 'Id', watermark: 'SystemModstamp', sourceTypes: SALESFORCE },
  'salesforce/CampaignMember': {
    entity: 'campaignMember',
    key: 'Id',
    watermark: 'SystemModstamp',
    sourceTypes: SALESFORCE,
  },
  'marketo/leads': { entity: 'person', key: 'id', watermark: 'updatedAt', sourceTypes: MARKETO },
  'marketo/activities': { entity: 'event', key: 'marketoGUID', watermark: 'activityDate', sourceTypes: MARKETO },
  'marketo/program-members': { entity: 'campaignMember', key: 'leadId', sourceTypes: MARKETO },
};
