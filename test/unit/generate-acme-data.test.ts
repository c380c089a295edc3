import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AcmeDataSummary } from '../../engine/demo/acme-data/acme-data-options';
import { generateAcmeData } from '../../engine/demo/acme-data/generate-acme-data';

const NOW = new Date('2026-11-01T00:00:00Z');
const DAY = 86_400_000;

/** Minimal RFC 4180 parser: quoted fields, doubled quotes, CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      if (ch === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

type Record_ = Record<string, string>;

function readCsv(dir: string, file: string): Record_[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(dir, file), 'utf8'));
  if (!header) throw new Error(`${file} is empty`);
  return rows.map((cells) => {
    expect(cells.length, `${file}: row width`).toBe(header.length);
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  });
}

function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function indexBy(records: Record_[], key: string): Map<string, Record_> {
  return new Map(records.map((r) => [r[key] ?? '', r]));
}

describe('generateAcmeData', () => {
  let dirA = '';
  let dirB = '';
  let summary: AcmeDataSummary;

  beforeAll(async () => {
    dirA = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-acme-'));
    dirB = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-acme-'));
    summary = await generateAcmeData({ outDir: dirA, now: NOW, seed: 42, scale: 1 });
    await generateAcmeData({ outDir: dirB, now: NOW, seed: 42, scale: 1 });
  });

  afterAll(() => {
    for (const dir of [dirA, dirB]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same options', () => {
    const files = listFiles(dirA);
    expect(listFiles(dirB)).toEqual(files);
    for (const file of files) {
      expect(sha256(path.join(dirB, file)), file).toBe(sha256(path.join(dirA, file)));
    }
  });

  it('writes the expected files with plausible counts', () => {
    const expected: Record<string, [number, number]> = {
      'salesforce/Account.csv': [280, 320],
      'salesforce/Contact.csv': [1400, 1600],
      'salesforce/Lead.csv': [550, 650],
      'salesforce/Opportunity.csv': [350, 450],
      'salesforce/OpportunityContactRole.csv': [700, 1100],
      'salesforce/Campaign.csv': [10, 14],
      'salesforce/CampaignMember.csv': [1800, 2200],
      'marketo/leads.csv': [2000, 2400],
      'marketo/activities.csv': [12000, 18000],
      'marketo/program_members.csv': [700, 900],
      'events/web-events.ndjson': [450, 550],
    };
    expect(summary.files.map((f) => f.path).sort()).toEqual(Object.keys(expected).sort());
    for (const { path: file, records } of summary.files) {
      const [min, max] = expected[file] ?? [0, 0];
      expect(records, file).toBeGreaterThanOrEqual(min);
      expect(records, file).toBeLessThanOrEqual(max);
      const lines = fs
        .readFileSync(path.join(dirA, file), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      expect(lines.length, file).toBe(file.endsWith('.ndjson') ? records : records + 1);
    }
  });

  it('writes Salesforce exports with quoted fields, CRLF line ends and 18-character ids', () => {
    const text = fs.readFileSync(path.join(dirA, 'salesforce/Account.csv'), 'utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[0]?.startsWith('"Id","IsDeleted","Name"')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const account of readCsv(dirA, 'salesforce/Account.csv')) {
      expect(account.Id).toMatch(/^001[0-9A-Za-z]{12}[A-Z0-5]{3}$/);
      expect(account.OwnerId).toMatch(/^005[0-9A-Za-z]{15}$/);
      expect(account.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
    }
  });

  it('links every contact to an existing account', () => {
    const accounts = indexBy(readCsv(dirA, 'salesforce/Account.csv'), 'Id');
    const contacts = readCsv(dirA, 'salesforce/Contact.csv');
    for (const contact of contacts) expect(accounts.has(contact.AccountId ?? ''), contact.Id).toBe(true);
  });

  it('links contact roles to opportunities and contacts of the same account, with one primary each', () => {
    const opportunities = indexBy(readCsv(dirA, 'salesforce/Opportunity.csv'), 'Id');
    const contacts = indexBy(readCsv(dirA, 'salesforce/Contact.csv'), 'Id');
    const primaries = new Map<string, number>();
    for (const role of readCsv(dirA, 'salesforce/OpportunityContactRole.csv')) {
      const opportunity = opportunities.get(role.OpportunityId ?? '');
      const contact = contacts.get(role.ContactId ?? '');
      expect(opportunity, role.Id).toBeDefined();
      expect(contact, role.Id).toBeDefined();
      expect(contact?.AccountId, role.Id).toBe(opportunity?.AccountId);
      const key = role.OpportunityId ?? '';
      primaries.set(key, (primaries.get(key) ?? 0) + (role.IsPrimary === 'true' ? 1 : 0));
    }
    expect(primaries.size).toBeGreaterThan(200);
    for (const [opportunityId, count] of primaries) expect(count, opportunityId).toBe(1);
  });

  it('converts leads into existing contacts with the same email', () => {
    const contacts = indexBy(readCsv(dirA, 'salesforce/Contact.csv'), 'Id');
    const converted = readCsv(dirA, 'salesforce/Lead.csv').filter((l) => l.IsConverted === 'true');
    expect(converted.length).toBeGreaterThan(60);
    for (const lead of converted) {
      const contact = contacts.get(lead.ConvertedContactId ?? '');
      expect(contact, lead.Id).toBeDefined();
      expect(contact?.Email?.toLowerCase(), lead.Id).toBe(lead.Email?.toLowerCase());
      expect(contact?.AccountId, lead.Id).toBe(lead.ConvertedAccountId);
    }
  });

  it('writes Marketo leads with the literal null for nulls', () => {
    const rows = parseCsv(fs.readFileSync(path.join(dirA, 'marketo/leads.csv'), 'utf8')).slice(1);
    const cells = rows.flat();
    expect(cells.filter((c) => c === 'null').length).toBeGreaterThan(1000);
    expect(cells.filter((c) => c === '').length).toBe(0);
    const leads = readCsv(dirA, 'marketo/leads.csv');
    const synced = leads.filter((l) => l.sfdcContactId !== 'null' || l.sfdcLeadId !== 'null');
    expect(synced.length / leads.length).toBeGreaterThan(0.6);
    expect(synced.length / leads.length).toBeLessThan(0.8);
    for (const lead of leads) expect(lead.ecid, lead.id).toMatch(/^(null|\d{38})$/);
  });

  it('writes Marketo activities whose attributes column is JSON, with hot leads opening emails', () => {
    const activities = readCsv(dirA, 'marketo/activities.csv');
    const opens = new Map<string, number>();
    const since = NOW.getTime() - 30 * DAY;
    for (const activity of activities) {
      expect(typeof JSON.parse(activity.attributes ?? '')).toBe('object');
      const time = Date.parse(activity.activityDate ?? '');
      expect(time).toBeLessThan(NOW.getTime());
      if (activity.activityTypeId === '10' && time >= since) {
        opens.set(activity.leadId ?? '', (opens.get(activity.leadId ?? '') ?? 0) + 1);
      }
    }
    const engaged = [...opens.values()].filter((count) => count >= 3).length;
    expect(engaged).toBeGreaterThanOrEqual(100);
  });

  it('writes web events of the last two days as JSON lines', () => {
    const lines = fs.readFileSync(path.join(dirA, 'events/web-events.ndjson'), 'utf8').trim().split('\n');
    for (const line of lines) {
      const event = JSON.parse(line) as {
        type: string;
        occurredAt: string;
        email: string;
        attributes: { url: string };
      };
      expect(['web.visit', 'product.signup', 'form.filled']).toContain(event.type);
      const time = Date.parse(event.occurredAt);
      expect(time).toBeGreaterThanOrEqual(NOW.getTime() - 2 * DAY);
      expect(time).toBeLessThan(NOW.getTime());
      expect(event.email).toContain('@');
      expect(event.attributes.url).toMatch(/^https:\/\//);
    }
  });
});
