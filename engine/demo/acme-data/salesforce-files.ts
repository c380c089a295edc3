import { campaignStatus } from './campaigns';
import { type OutputFile, type Row, salesforceCsv } from './csv';
import { words } from './lists';
import type {
  Account,
  Campaign,
  CampaignMember,
  Contact,
  ContactRole,
  Crm,
  Lead,
  Opportunity,
} from './salesforce-model';
import type { Stamps } from './stamps';
import { sfDate, sfDateTime } from './time';

/** The audit fields every exported object has. */
const stampCells = (s: Stamps): Row => ({
  CreatedDate: sfDateTime(s.created),
  LastModifiedDate: sfDateTime(s.modified),
  SystemModstamp: sfDateTime(s.modstamp),
});

/** Column headers of each object's file: API field names, as the Data Export writes them. */
const SF_COLUMNS = {
  Account: words(
    'Id,IsDeleted,Name,Type,ParentId,BillingCity,BillingState,BillingCountry,Phone,Website,Industry,AnnualRevenue,NumberOfEmployees,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp,AccountSource,Tier__c',
  ),
  Contact: words(
    'Id,IsDeleted,AccountId,FirstName,LastName,Salutation,Title,Department,Email,Phone,MailingCity,MailingCountry,LeadSource,HasOptedOutOfEmail,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  Lead: words(
    'Id,IsDeleted,FirstName,LastName,Title,Company,Email,Phone,City,Country,Industry,Status,LeadSource,Rating,IsConverted,ConvertedDate,ConvertedAccountId,ConvertedContactId,ConvertedOpportunityId,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  Opportunity: words(
    'Id,IsDeleted,AccountId,Name,StageName,Amount,Probability,CloseDate,Type,LeadSource,IsClosed,IsWon,ForecastCategoryName,OwnerId,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  OpportunityContactRole: words(
    'Id,IsDeleted,OpportunityId,ContactId,Role,IsPrimary,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  Campaign: words(
    'Id,IsDeleted,Name,Type,Status,StartDate,EndDate,IsActive,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
  CampaignMember: words(
    'Id,IsDeleted,CampaignId,ContactId,LeadId,Status,HasResponded,FirstRespondedDate,CreatedDate,LastModifiedDate,SystemModstamp',
  ),
};

/** The seven Salesforce export files, in the order the summary lists them. */
export function salesforceFiles(crm: Crm): OutputFile[] {
  const file = (name: keyof typeof SF_COLUMNS, rows: Row[]) =>
    salesforceCsv(`salesforce/${name}.csv`, SF_COLUMNS[name], rows);
  return [
    file('Account', crm.accounts.map(accountRow)),
    file('Contact', crm.contacts.map(contactRow)),
    file('Lead', crm.leads.map(leadRow)),
    file('Opportunity', crm.opportunities.map(opportunityRow)),
    file('OpportunityContactRole', crm.roles.map(contactRoleRow)),
    file(
      'Campaign',
      crm.campaigns.map((c) => campaignRow(c, crm.now)),
    ),
    file('CampaignMember', crm.members.map(campaignMemberRow)),
  ];
}

function accountRow(a: Account): Row {
  return {
    Id: a.id,
    IsDeleted: false,
    Name: a.name,
    Type: a.type,
    ParentId: a.parent?.id ?? null,
    BillingCity: a.location.city,
    BillingState: a.location.state,
    BillingCountry: a.billingCountry,
    Phone: a.phone,
    Website: `https://www.${a.domain}`,
    Industry: a.industry,
    AnnualRevenue: a.annualRevenue,
    NumberOfEmployees: a.employees,
    OwnerId: a.ownerId,
    ...stampCells(a.stamps),
    AccountSource: a.source,
    Tier__c: a.tier,
  };
}

function contactRow(c: Contact): Row {
  return {
    Id: c.id,
    IsDeleted: false,
    AccountId: c.account.id,
    FirstName: c.name.first,
    LastName: c.name.last,
    Salutation: c.name.salutation,
    Title: c.title.title,
    Department: c.title.department,
    Email: c.email,
    Phone: c.phone,
    MailingCity: c.location.city,
    MailingCountry: c.location.country,
    LeadSource: c.leadSource,
    HasOptedOutOfEmail: c.optedOut,
    OwnerId: c.ownerId,
    ...stampCells(c.stamps),
  };
}

function leadRow(l: Lead): Row {
  const conversion = l.conversion;
  return {
    Id: l.id,
    IsDeleted: l.deleted,
    FirstName: l.name.first,
    LastName: l.name.last,
    Title: l.title,
    Company: l.company,
    Email: l.email,
    Phone: l.phone,
    City: l.location.city,
    Country: l.location.country,
    Industry: l.industry,
    Status: l.status,
    LeadSource: l.leadSource,
    Rating: l.rating,
    IsConverted: conversion !== null,
    ConvertedDate: conversion ? sfDate(conversion.at) : null,
    ConvertedAccountId: conversion?.contact.account.id ?? null,
    ConvertedContactId: conversion?.contact.id ?? null,
    ConvertedOpportunityId: conversion?.opportunity?.id ?? null,
    OwnerId: l.ownerId,
    ...stampCells(l.stamps),
  };
}

function opportunityRow(o: Opportunity): Row {
  return {
    Id: o.id,
    IsDeleted: false,
    AccountId: o.account.id,
    Name: o.name,
    StageName: o.stage.name,
    Amount: o.amount,
    Probability: o.stage.probability,
    CloseDate: sfDate(o.closeDate),
    Type: o.type,
    LeadSource: o.leadSource,
    IsClosed: o.stage.closed,
    IsWon: o.stage.won,
    ForecastCategoryName: o.stage.forecast,
    OwnerId: o.ownerId,
    ...stampCells(o.stamps),
  };
}

function contactRoleRow(r: ContactRole): Row {
  return {
    Id: r.id,
    IsDeleted: false,
    OpportunityId: r.opportunity.id,
    ContactId: r.contact.id,
    Role: r.role,
    IsPrimary: r.primary,
    ...stampCells(r.stamps),
  };
}

function campaignRow(c: Campaign, now: number): Row {
  const status = campaignStatus(c, now);
  return {
    Id: c.id,
    IsDeleted: false,
    Name: c.name,
    Type: c.type,
    Status: status,
    StartDate: sfDate(c.start),
    EndDate: sfDate(c.end),
    IsActive: status !== 'Completed',
    ...stampCells(c.stamps),
  };
}

function campaignMemberRow(m: CampaignMember): Row {
  return {
    Id: m.id,
    IsDeleted: false,
    CampaignId: m.campaign.id,
    ContactId: m.contact?.id ?? null,
    LeadId: m.lead?.id ?? null,
    Status: m.status,
    HasResponded: m.respondedAt !== null,
    FirstRespondedDate: m.respondedAt === null ? null : sfDate(m.respondedAt),
    ...stampCells(m.stamps),
  };
}
