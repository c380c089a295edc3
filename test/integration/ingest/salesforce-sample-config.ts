import * as path from 'node:path';
import { FIXTURES } from './ingest-kit';

/**
 * The Salesforce data-tree sample (test/fixtures/salesforce-sample, CC0) as tests load it: a file
 * source with the salesforce/* presets and an identity mapping keyed on the records' ids. The
 * export has no `Id` field: the presets read `Id` as the record id the export carries
 * (`attributes.referenceId`), so the identities are written as for any other Salesforce export.
 */
export const SAMPLE = path.join(FIXTURES, 'salesforce-sample');

export const SOURCE = `apiVersion: roster/v1
kind: Source
metadata: { name: sf-sample }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(SAMPLE)} }
  objects:
    - name: Account
      entity: account
      preset: salesforce/Account
      path: Account.json
      identities: { crmAccountId: Id, domain: Website }
    - name: Contact
      entity: person
      preset: salesforce/Contact
      path: Contact.json
      identities: { crmContactId: Id, email: Email }
    - name: Lead
      entity: person
      preset: salesforce/Lead
      path: Lead.json
      identities: { crmLeadId: Id, email: Email }
    - name: Opportunity
      entity: opportunity
      preset: salesforce/Opportunity
      path: Opportunity.json
`;

export const IDENTITY = `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: sf-identity }
spec:
  sources: [sf-sample]
  person:
    namespaces:
      - { name: crmContactId, type: crm-id, unique: true, priority: 100 }
      - { name: crmLeadId, type: crm-id, unique: true, priority: 90 }
      - { name: email, type: email, priority: 50 }
  account:
    namespaces:
      - { name: crmAccountId, type: crm-id, unique: true, priority: 100 }
      - { name: domain, type: domain, priority: 50 }
  accountLinking: { byNamespace: crmAccountId }
`;
