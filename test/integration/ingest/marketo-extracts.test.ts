/**
 * Real Marketo bulk extracts (test/fixtures/marketo-api and marketo-quoting, MIT) through file
 * sources with the marketo/* presets: leads and activities land once, Marketo's `null` text becomes
 * SQL NULL, activity types become Roster event types, events find their lead's person, and
 * RFC 4180 quoting is read as written.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';
import { FIXTURES, makeWorkspace, RosterCli, type RunOutput, type Workspace, writeFiles } from './ingest-kit';

const EXTRACTS = path.join(FIXTURES, 'marketo-api');
const QUOTING = path.join(FIXTURES, 'marketo-quoting');

/** The `attributes` column of every row of activity_extract1.csv, as Marketo meant it (quotes undoubled). */
const LIST_IMPORT_ATTRIBUTES =
  '{"Source Type":"List import","List Name":"Bill Import Test","Created Date":"2017-09-08"}';

function sources(dataDir: string): Record<string, string> {
  return {
    'marketo-extracts.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: marketo-extracts }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(EXTRACTS)} }
  customFields:
    - { entity: event, name: activityAttributes, type: string }
  objects:
    - name: leads
      entity: person
      preset: marketo/leads
      path: lead*extract?.csv
      identities: { marketoLeadId: id, email: email }
    - name: activities
      entity: event
      preset: marketo/activities
      path: activity_extract1.csv
      fields: { activityAttributes: attributes }
      identities: { marketoLeadId: leadId }
`,
    'marketo-quoting.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: marketo-quoting }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(QUOTING)} }
  badRecords: { maxErrorRatio: 0.5 }
  objects:
    - { name: leads, entity: person, preset: marketo/leads, path: lead_extract_with_quote_*.csv, key: lastName }
`,
    'marketo-typed-activities.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: marketo-typed-activities }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(path.join(dataDir, 'typed'))} }
  objects:
    - name: activities
      entity: event
      preset: marketo/activities
      path: activities.csv
      identities: { marketoLeadId: leadId }
`,
    'marketo-later-extract.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: marketo-later-extract }
spec:
  type: file
  file: { baseDir: ${JSON.stringify(path.join(dataDir, 'later'))} }
  objects:
    - { name: activities, entity: event, preset: marketo/activities, path: activity_extract?.csv }
`,
    'identity.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: marketo-identity }
spec:
  sources: [marketo-extracts, marketo-quoting, marketo-typed-activities, marketo-later-extract]
  person:
    namespaces:
      - { name: marketoLeadId, type: marketo-id, unique: true, priority: 80 }
      - { name: email, type: email, priority: 50 }
`,
  };
}

/** Activities of several types, in the layout of Marketo's activity extract. */
const TYPED_ACTIVITIES = `marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes
900001,102488,2024-03-01T10:00:00Z,1,null,null,https://www.example.com/pricing?plan=team,"{""Query Parameters"":""plan=team"",""Referrer URL"":""https://www.google.com/""}"
900002,102488,2024-03-01T10:01:00Z,3,null,null,https://www.example.com/docs,null
900003,102488,2024-03-01T10:02:00Z,6,1042,2001,"Webinar Invite, March",null
900004,102488,2024-03-01T10:03:00Z,7,1042,2001,"Webinar Invite, March",null
900005,102488,2024-03-01T10:04:00Z,10,1042,2001,"Webinar Invite, March",null
900006,102488,2024-03-01T10:05:00Z,11,1042,2001,"Webinar Invite, March",null
900007,102488,2024-03-01T10:06:00Z,13,null,null,null,"{""Attribute Name"":""Job Title"",""New Value"":""CTO""}"
900008,102488,2024-03-01T10:07:00Z,22,null,null,null,null
900009,102488,2024-03-01T10:08:00Z,46,null,null,Visited pricing twice,null
`;

describe('Marketo bulk extracts through file sources with the marketo presets', () => {
  let pool: Pool;
  let workspace: Workspace;
  let cli: RosterCli;
  let s: string;
  let run: RunOutput;
  const sandbox = uniqueSandbox('mkt');

  beforeAll(async () => {
    pool = await testPool();
    workspace = makeWorkspace('marketo');
    mkdirSync(path.join(workspace.data, 'typed'));
    mkdirSync(path.join(workspace.data, 'later'));
    writeFiles(path.join(workspace.data, 'typed'), { 'activities.csv': TYPED_ACTIVITIES });
    writeFiles(workspace.config, sources(workspace.data));
    cli = new RosterCli(await testDatabaseUrl());
    cli.apply(workspace.config, sandbox);
    run = cli.sourceRun('marketo-extracts', sandbox);
    s = sandboxSchema(sandbox);
  });

  afterAll(async () => {
    await dropSandboxes(pool, [sandbox]);
    await pool.end();
    workspace.remove();
  });

  const rows = async <T extends object = Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await pool.query<T>(sql, params)).rows;

  it('loads the 19 leads of both lead extracts and the 34 activities of activity_extract1.csv', async () => {
    expect(run).toMatchObject({ status: 'succeeded', read: 53, written: 53, quarantined: 0 });
    const counts = await rows(
      `select (select count(*)::int from ${s}.person_records where source_object = 'leads') as leads,
              (select count(*)::int from ${s}.events where source_object = 'activities') as events,
              (select count(*)::int from ${s}.persons) as persons`,
    );
    expect(counts).toEqual([{ leads: 19, events: 34, persons: 19 }]);
  });

  it('stores the text `null` of the extracts as SQL NULL, in typed columns and text alike', async () => {
    const nullText = await rows(
      `select t.kind, kv.key from (
         select 'lead' as kind, to_jsonb(r) as row from ${s}.person_records r
         union all select 'event', to_jsonb(e) from ${s}.events e) t, jsonb_each_text(t.row) kv
       where kv.value = 'null'`,
    );
    expect(nullText).toEqual([]);
    const [lead] = await rows(
      `select email, first_name, last_name, job_title, lead_status, person_type, marketo_lead_id, email_opt_out,
         created_at = '2017-09-08T16:39:14Z' as created_at_kept
       from ${s}.person_records where source_key = '102488'`,
    );
    expect(lead).toEqual({
      email: null,
      first_name: null,
      last_name: null,
      job_title: null,
      lead_status: null,
      person_type: 'contact',
      marketo_lead_id: '102488',
      email_opt_out: false,
      created_at_kept: true,
    });
    const [events] = await rows(
      `select count(*)::int as n, count(url)::int as with_url, count(campaign)::int as with_campaign from ${s}.events`,
    );
    expect(events).toEqual({ n: 34, with_url: 0, with_campaign: 0 });
  });

  it('maps activity type 12 to lead.created and keeps activityDate as the time of the event', async () => {
    const types = await rows(`select type, count(*)::int as n from ${s}.events group by type`);
    expect(types).toEqual([{ type: 'lead.created', n: 34 }]);
    const [first] = await rows(
      `select occurred_at = '2017-09-08T16:38:14Z' as at_activity_date, person_key from ${s}.events where source_key = '558681'`,
    );
    expect(first).toEqual({ at_activity_date: true, person_key: '102419' });
  });

  it("links each activity to its lead's person when the lead was loaded, and leaves the others unlinked", async () => {
    const [linking] = await rows(
      `select count(*) filter (where r.id is not null)::int as of_loaded_leads,
              count(*) filter (where r.id is not null and e.person_id = r.person_id)::int as linked_to_that_person,
              count(*) filter (where r.id is null and e.person_id is null)::int as unlinked_without_lead
       from ${s}.events e left join ${s}.person_records r on r.source_object = 'leads' and r.source_key = e.person_key`,
    );
    // Leads 102420, 102424, 102431, 102435, 102439, 102445, 102448 and 102452 are in both files.
    expect(linking).toEqual({ of_loaded_leads: 8, linked_to_that_person: 8, unlinked_without_lead: 26 });
  });

  it('reads the quoted JSON attributes column whole: commas and doubled quotes intact', async () => {
    const values = await rows<{ value: string; n: number }>(
      `select attrs->>'activityAttributes' as value, count(*)::int as n from ${s}.events group by 1`,
    );
    expect(values).toEqual([{ value: LIST_IMPORT_ATTRIBUTES, n: 34 }]);
    expect(JSON.parse(values[0]!.value)).toEqual({
      'Source Type': 'List import',
      'List Name': 'Bill Import Test',
      'Created Date': '2017-09-08',
    });
  });

  it('reads a doubled quote in a quoted field as one quote, and quarantines an undoubled one with its line', async () => {
    const quoting = cli.sourceRun('marketo-quoting', sandbox);
    expect(quoting).toMatchObject({ status: 'succeeded', read: 2, written: 1, quarantined: 1 });
    const leads = await rows(
      `select source_key, first_name, last_name from ${s}.person_records where source_name = 'marketo-quoting'`,
    );
    expect(leads).toEqual([{ source_key: 'lastName1', first_name: 'first"Name1', last_name: 'lastName1' }]);
    const errors = cli.sourceErrors('marketo-quoting', sandbox);
    expect(errors.total).toBe(1);
    expect(errors.records[0]).toMatchObject({
      object: 'leads',
      origin: 'lead_extract_with_quote_in_quote_field.csv',
      line: 2,
      field: 'firstName',
      raw: '"first"Name1","lastName1"',
    });
    expect(errors.records[0]!.reason).toMatch(
      /^unexpected "N" after the closing quote of field firstName at column \d+/,
    );
  });

  it('maps activity type ids to event types (unknown ones to marketo.activity.<id>), fills url or campaign by type, and finds the lead by its id', async () => {
    const typed = cli.sourceRun('marketo-typed-activities', sandbox);
    expect(typed).toMatchObject({ status: 'succeeded', read: 9, written: 9, quarantined: 0 });
    const events = await rows(
      `select source_key, type, url, campaign from ${s}.events where source_name = 'marketo-typed-activities' order by source_key`,
    );
    expect(events).toEqual([
      { source_key: '900001', type: 'web.visit', url: 'https://www.example.com/pricing?plan=team', campaign: null },
      { source_key: '900002', type: 'web.click', url: 'https://www.example.com/docs', campaign: null },
      { source_key: '900003', type: 'email.sent', url: null, campaign: 'Webinar Invite, March' },
      { source_key: '900004', type: 'email.delivered', url: null, campaign: 'Webinar Invite, March' },
      { source_key: '900005', type: 'email.opened', url: null, campaign: 'Webinar Invite, March' },
      { source_key: '900006', type: 'email.clicked', url: null, campaign: 'Webinar Invite, March' },
      { source_key: '900007', type: 'lead.changed', url: null, campaign: null },
      { source_key: '900008', type: 'score.changed', url: null, campaign: null },
      { source_key: '900009', type: 'marketo.activity.46', url: null, campaign: null },
    ]);
    const [linked] = await rows(
      `select count(*)::int as n from ${s}.events e join ${s}.person_records r on r.person_id = e.person_id
       where e.source_name = 'marketo-typed-activities' and r.source_name = 'marketo-extracts' and r.source_key = '102488'`,
    );
    expect(linked).toEqual({ n: 9 }); // through the marketoLeadId identity: the lead came from another source
  });

  // ENGINE BUG (reported): an incremental run skips records whose watermark EQUALS the stored one
  // (`<=` in engine/ingest/ingest-objects.ts), so a later extract whose activities share the last
  // second of the previous one is counted "unchanged" and never loaded. Remove `.fails` when fixed.
  it('loads a later extract whose activities share the last activityDate already seen', async () => {
    const later = path.join(workspace.data, 'later');
    copyFileSync(path.join(EXTRACTS, 'activity_extract1.csv'), path.join(later, 'activity_extract1.csv'));
    expect(cli.sourceRun('marketo-later-extract', sandbox)).toMatchObject({ written: 34 });
    // activity_extract2.csv: 21 new activities, all at 2017-09-08T16:39:14Z, the first file's last activityDate.
    copyFileSync(path.join(EXTRACTS, 'activity_extract2.csv'), path.join(later, 'activity_extract2.csv'));
    const second = cli.sourceRun('marketo-later-extract', sandbox);
    const [count] = await rows(
      `select count(*)::int as n from ${s}.events where source_name = 'marketo-later-extract'`,
    );
    expect(count).toEqual({ n: 55 });
    expect(second).toMatchObject({ read: 55, written: 21, unchanged: 34 });
  });
});
