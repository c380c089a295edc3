/**
 * A real Salesforce sfdx data-tree export (test/fixtures/salesforce-sample, CC0) loaded through a
 * file source with the salesforce/* presets: every record lands once, `@ref` lookups become links
 * between profiles, and values keep their Salesforce meaning and type.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { makeWorkspace, RosterCli, type RunOutput, type Workspace, writeFiles } from './ingest-kit';
import { IDENTITY, SAMPLE, SOURCE } from './salesforce-sample-config';

/** Each contact's account, as Contact.json's `AccountId` `@ref`s and Account.json's referenceIds say. */
const CONTACT_ACCOUNTS: Record<string, string> = {
  'Rose Gonzalez': 'Edge Communications',
  'Sean Forbes': 'Edge Communications',
  'Jack Rogers': 'Burlington Textiles Corp of America',
  'Pat Stumuller': 'Pyramid Construction Inc.',
  'Andy Young': 'Dickenson plc',
  'Tim Barr': 'Grand Hotels & Resorts Ltd',
  'John Bond': 'Grand Hotels & Resorts Ltd',
  'Stella Pavlova': 'United Oil & Gas Corp.',
  'Lauren Boyle': 'United Oil & Gas Corp.',
  'Babara Levy': 'Express Logistics and Transport',
};

describe('a Salesforce data-tree export through a file source with presets', () => {
  let pool: Pool;
  let workspace: Workspace;
  let s: string;
  let run: RunOutput;
  const sandbox = uniqueSandbox('sfs');

  beforeAll(async () => {
    pool = await testPool();
    workspace = makeWorkspace('sf-sample');
    writeFiles(workspace.config, { 'sf-sample.yaml': SOURCE, 'identity.yaml': IDENTITY });
    const cli = new RosterCli(await testDatabaseUrl());
    cli.apply(workspace.config, sandbox);
    run = cli.sourceRun('sf-sample', sandbox);
    s = sandboxSchema(sandbox);
  });

  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    workspace.remove();
  });

  const rows = async <T extends object>(sql: string, params: unknown[] = []) => (await pool.query<T>(sql, params)).rows;

  it("loads 10 accounts, 10 contacts, 10 leads and 9 opportunities (Opportunity.json's totalSize says 10)", async () => {
    const opportunityFile = JSON.parse(readFileSync(path.join(SAMPLE, 'Opportunity.json'), 'utf8'));
    expect(opportunityFile.totalSize).toBe(10);

    expect(run).toMatchObject({ status: 'succeeded', read: 39, written: 39, quarantined: 0, deleted: 0 });
    const counts = await rows<{ object: string; n: number }>(
      `select source_object as object, count(*)::int as n from (
         select source_object from ${s}.account_records union all select source_object from ${s}.person_records
         union all select source_object from ${s}.opportunities) r group by source_object order by source_object`,
    );
    expect(counts).toEqual([
      { object: 'Account', n: 10 },
      { object: 'Contact', n: 10 },
      { object: 'Lead', n: 10 },
      { object: 'Opportunity', n: 9 },
    ]);
  });

  it('keys each record by its referenceId, since a data-tree export carries no Id', async () => {
    const edge = await rows(
      `select source_type, source_name, source_key from ${s}.account_records where name = 'Edge Communications'`,
    );
    expect(edge).toEqual([{ source_type: 'file', source_name: 'sf-sample', source_key: 'ref0010S00000C1t1vQAB' }]);
  });

  it("links every contact's person profile to the account its @ref AccountId names", async () => {
    const linked = await rows<{ person: string; account: string | null }>(
      `select p.first_name || ' ' || p.last_name as person, a.name as account
       from ${s}.persons p join ${s}.person_records r on r.person_id = p.id and r.source_object = 'Contact'
       left join ${s}.accounts a on a.id = p.account_id order by 1`,
    );
    expect(Object.fromEntries(linked.map((r) => [r.person, r.account]))).toEqual(CONTACT_ACCOUNTS);
  });

  it('links every opportunity to its account', async () => {
    const linked = await rows(
      `select o.name as opportunity, a.name as account from ${s}.opportunities o left join ${s}.accounts a on a.id = o.account_id
       where o.name in ('Express Logistics SLA', 'University of AZ SLA', 'United Oil Installations') order by 1`,
    );
    expect(linked).toEqual([
      { opportunity: 'Express Logistics SLA', account: 'Express Logistics and Transport' },
      { opportunity: 'United Oil Installations', account: 'United Oil & Gas Corp.' },
      { opportunity: 'University of AZ SLA', account: 'University of Arizona' },
    ]);
    const unlinked = await rows(`select name from ${s}.opportunities where account_id is null`);
    expect(unlinked).toEqual([]);
  });

  it('keeps account values typed: revenue and head count as numbers, the website as a bare domain', async () => {
    const accounts = await rows(
      `select name, industry, type, annual_revenue::text as revenue, number_of_employees::int as employees, domain, city, state
       from ${s}.accounts where name in ('Edge Communications', 'United Oil & Gas Corp.', 'University of Arizona') order by name`,
    );
    expect(accounts).toEqual([
      {
        name: 'Edge Communications',
        industry: 'Electronics',
        type: 'Customer - Direct',
        revenue: '139000000',
        employees: 1000,
        domain: 'edgecomm.com',
        city: 'Austin',
        state: 'TX',
      },
      {
        name: 'United Oil & Gas Corp.',
        industry: 'Energy',
        type: 'Customer - Direct',
        revenue: '5600000000',
        employees: 145000,
        domain: 'uos.com',
        city: 'New York',
        state: 'NY',
      },
      {
        name: 'University of Arizona',
        industry: 'Education',
        type: 'Customer - Direct',
        revenue: null,
        employees: 39000,
        domain: 'universityofarizona.com',
        city: 'Tucson',
        state: 'AZ',
      },
    ]);
  });

  it("keeps an opportunity's stage, amount, probability and close date", async () => {
    const [sla] = await rows(
      `select stage, amount::text as amount, probability::int as probability, close_date::text as close_date, type, lead_source, forecast_category
       from ${s}.opportunities where name = 'Express Logistics SLA'`,
    );
    expect(sla).toEqual({
      stage: 'Perception Analysis',
      amount: '120000',
      probability: 70,
      close_date: '2018-06-26',
      type: 'Existing Customer - Upgrade',
      lead_source: 'External Referral',
      forecast_category: 'Pipeline',
    });
  });

  // ENGINE GAP (reported): sfdx exports carry StageName but not the derived IsClosed/IsWon, and the
  // salesforce/Opportunity preset reads only IsClosed/IsWon, so every opportunity of this export has
  // is_closed = is_won = NULL and "open/won opportunity" segments match none. Remove `.fails` when fixed.
  it('marks Closed Won opportunities closed and won, and open-stage ones neither', async () => {
    const flags = await rows(
      `select stage, bool_and(is_closed) as closed, bool_and(is_won) as won, count(*)::int as n
       from ${s}.opportunities group by stage order by stage`,
    );
    expect(flags).toEqual([
      { stage: 'Closed Won', closed: true, won: true, n: 8 },
      { stage: 'Perception Analysis', closed: false, won: false, n: 1 },
    ]);
  });

  it('makes persons of leads and contacts, with their type, lead status and conversion flag', async () => {
    const types = await rows(
      `select person_type, count(*)::int as n, count(account_id)::int as with_account from ${s}.persons group by person_type order by 1`,
    );
    expect(types).toEqual([
      { person_type: 'contact', n: 10, with_account: 10 },
      { person_type: 'lead', n: 10, with_account: 0 },
    ]);
    const bertha = await rows(
      `select email, email_domain, job_title, lead_status, lead_source, is_converted, city, state, country
       from ${s}.persons where last_name = 'Boxer'`,
    );
    expect(bertha).toEqual([
      {
        email: 'bertha@fcof.net',
        email_domain: 'fcof.net',
        job_title: 'Director of Vendor Relations',
        lead_status: 'Working - Contacted',
        lead_source: 'Web',
        is_converted: false,
        city: 'Tallahassee',
        state: 'FL',
        country: 'USA',
      },
    ]);
    const rose = await rows(
      `select email, job_title, department, phone, lead_status from ${s}.persons where last_name = 'Gonzalez'`,
    );
    expect(rose).toEqual([
      {
        email: 'rose@edge.com',
        job_title: 'SVP, Procurement',
        department: 'Procurement',
        phone: '(512) 757-6000',
        lead_status: null,
      },
    ]);
  });

  it('keeps the three United Oil & Gas accounts apart though they share uos.com, and records the refused merges', async () => {
    expect(run.stitched).toEqual([
      { entity: 'account', records: 10, profiles: 10, conflicts: 3 },
      { entity: 'person', records: 20, profiles: 20, conflicts: 0 },
    ]);
    const uos = await rows(`select name from ${s}.accounts where domain = 'uos.com' order by name`);
    expect(uos.map((a) => (a as { name: string }).name)).toEqual([
      'United Oil & Gas Corp.',
      'United Oil & Gas, Singapore',
      'United Oil & Gas, UK',
    ]);
    const conflicts = await rows(
      `select namespace, value, count(*)::int as n from ${s}.identity_conflicts where entity = 'account' group by 1, 2`,
    );
    expect(conflicts).toEqual([{ namespace: 'domain', value: 'uos.com', n: 3 }]);
  });
});
