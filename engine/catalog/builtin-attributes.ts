import type { AttributeDefinition, AttributeType, CatalogEntity } from './attribute-catalog';

type Row = [name: string, type: AttributeType, description: string, caseInsensitive?: true];

/**
 * The built-in B2B model, after the XDM B2B classes (Account, Person, Opportunity, Opportunity-Person,
 * Account-Person, Campaign, Marketing List, ExperienceEvent). Names are camelCase; every source maps
 * onto these (presets do it for Salesforce and Marketo exports).
 */
const BUILTIN: Record<CatalogEntity, Row[]> = {
  person: [
    ['email', 'string', 'Primary email address', true],
    ['emailDomain', 'string', 'Domain part of the email address', true],
    ['firstName', 'string', 'First name'],
    ['lastName', 'string', 'Last name'],
    ['jobTitle', 'string', 'Job title'],
    ['department', 'string', 'Department'],
    ['phone', 'string', 'Phone number'],
    ['city', 'string', 'City'],
    ['state', 'string', 'State or region'],
    ['country', 'string', 'Country'],
    ['personType', 'string', '`lead` or `contact`'],
    ['leadStatus', 'string', 'Lead status (e.g. `Working - Contacted`)'],
    ['leadSource', 'string', 'Lead source (e.g. `Web`, `Trade Show`)'],
    ['isConverted', 'boolean', 'The lead was converted into a contact'],
    ['convertedAt', 'datetime', 'When the lead was converted'],
    ['emailOptOut', 'boolean', 'The person opted out of email'],
    ['ecid', 'string', 'Adobe Experience Cloud ID'],
    ['marketoLeadId', 'string', 'Marketo lead id'],
    ['createdAt', 'datetime', 'When the person was first seen by any source'],
    ['updatedAt', 'datetime', 'When any source last changed the person'],
  ],
  account: [
    ['name', 'string', 'Account name'],
    ['domain', 'string', 'Web domain (no `www.`)', true],
    ['industry', 'string', 'Industry'],
    ['type', 'string', 'Account type (e.g. `Customer - Direct`, `Prospect`)'],
    ['annualRevenue', 'number', 'Annual revenue'],
    ['numberOfEmployees', 'number', 'Number of employees'],
    ['city', 'string', 'Billing city'],
    ['state', 'string', 'Billing state or region'],
    ['country', 'string', 'Billing country'],
    ['accountSource', 'string', 'Where the account came from'],
    ['createdAt', 'datetime', 'When the account was first seen'],
    ['updatedAt', 'datetime', 'When any source last changed the account'],
  ],
  opportunity: [
    ['name', 'string', 'Opportunity name'],
    ['stage', 'string', 'Sales stage (e.g. `Negotiation/Review`)'],
    ['amount', 'number', 'Amount'],
    ['probability', 'number', 'Probability of winning, 0-100'],
    ['isClosed', 'boolean', 'The opportunity is closed (won or lost)'],
    ['isWon', 'boolean', 'The opportunity is closed and won'],
    ['closeDate', 'date', 'Expected or actual close date'],
    ['type', 'string', 'Opportunity type (e.g. `New Business`)'],
    ['leadSource', 'string', 'Lead source'],
    ['forecastCategory', 'string', 'Forecast category'],
    ['createdAt', 'datetime', 'When the opportunity was created'],
  ],
  opportunityRole: [
    ['role', 'string', 'Role of the person on the opportunity (e.g. `Decision Maker`)', true],
    ['isPrimary', 'boolean', 'The person is the primary contact of the opportunity'],
  ],
  accountRelation: [
    ['role', 'string', 'Role of the person at the account', true],
    ['isPrimary', 'boolean', "This is the person's primary account"],
    ['isActive', 'boolean', 'The relation is active'],
    ['startDate', 'date', 'When the relation started'],
    ['endDate', 'date', 'When the relation ended'],
  ],
  campaign: [
    ['name', 'string', 'Campaign name'],
    ['type', 'string', 'Campaign type (e.g. `Webinar`)'],
    ['status', 'string', 'Campaign status'],
    ['startDate', 'date', 'Start date'],
    ['endDate', 'date', 'End date'],
  ],
  campaignMembership: [
    ['status', 'string', 'Member status (e.g. `Responded`)', true],
    ['hasResponded', 'boolean', 'The member responded'],
  ],
  marketingList: [
    ['name', 'string', 'List name'],
    ['addedAt', 'datetime', 'When the person was added to the list'],
  ],
  event: [
    ['type', 'string', 'Event type (e.g. `email.opened`, `web.visit`)'],
    ['occurredAt', 'datetime', 'When the event happened'],
    ['url', 'string', 'Page or link URL, for web and click events'],
    ['campaign', 'string', 'Campaign or program the event belongs to'],
  ],
};

/** The built-in attributes of `entity`, by name. */
export function builtinAttributes(entity: CatalogEntity): Map<string, AttributeDefinition> {
  return new Map(
    BUILTIN[entity].map(([name, type, description, caseInsensitive]) => [
      name,
      caseInsensitive ? { name, type, description, caseInsensitive } : { name, type, description },
    ]),
  );
}

export const CATALOG_ENTITIES = Object.keys(BUILTIN) as CatalogEntity[];
