import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcmeSandbox, seedAcmeSandbox } from '../support/acme-console-sandbox';
import { CHROMIUM_ARGS, tryGetChromium } from '../support/chromium';
import { type RunningRoster, startRosterRun } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/**
 * The web console of `roster run`, driven in Debian's Chromium over the example project: sign-in,
 * every page against independent SQL, a retry and a pause/resume confirmed in the page, and the
 * tokens kept out of every URL and page. With ROSTER_CONSOLE_SCREENSHOTS=DIR the pages are also
 * saved as PNG files there (docs/console/ holds the committed ones).
 */
const CHROMIUM = tryGetChromium();
if (!CHROMIUM)
  console.warn(
    "SKIPPED test/browser/console.test.ts: no Chromium; install Debian's chromium (apt-get install -y chromium, as .ci/run does) or set ROSTER_CHROMIUM",
  );
const READ_TOKEN = 'console-read-token-7d41e0';
const WRITE_TOKEN = 'console-write-token-c93e5b';
const SHOTS = process.env.ROSTER_CONSOLE_SCREENSHOTS;
const TIMEOUT = 300_000;

const sandbox = uniqueSandbox('console');
const schema = `roster_${sandbox}`;
let pool: Pool;
let acme: AcmeSandbox;
let service: RunningRoster;
let browser: Browser;
/** Every URL the browser asked for and every page it was shown, to look for the tokens in. */
const seenUrls: string[] = [];
const seenPages: string[] = [];

beforeAll(async () => {
  if (!CHROMIUM) return;
  pool = await testPool();
  acme = await seedAcmeSandbox(sandbox, await testDatabaseUrl());
  service = await startRosterRun(sandbox, {
    ...acme.env,
    ROSTER_API_TOKEN: READ_TOKEN,
    ROSTER_CONSOLE_WRITE_TOKEN: WRITE_TOKEN,
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}, TIMEOUT);

afterAll(async () => {
  if (!CHROMIUM) return;
  await browser?.close();
  service?.service.child.kill('SIGTERM');
  await service?.service.done;
  await acme?.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
}, TIMEOUT);

/** A fresh browser context (no cookies) whose requests and pages are recorded. */
async function openContext(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('request', (request) => seenUrls.push(request.url()));
  page.on('load', async () => {
    seenPages.push(await page.content().catch(() => ''));
  });
  return { context, page };
}

async function signIn(token: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openContext();
  await opened.page.goto(`${service.url}/login`);
  await opened.page.fill('#token', token);
  await Promise.all([opened.page.waitForURL(`${service.url}/`), opened.page.click('button[type=submit]')]);
  return opened;
}

async function visit(page: Page, route: string, shot?: string): Promise<void> {
  const response = await page.goto(`${service.url}${route}`);
  expect(response?.status(), route).toBe(200);
  if (SHOTS && shot) await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: true });
}

/** The `n` of a `select count(*)::int as n ...`. */
async function countOf(text: string): Promise<number> {
  return (await pool.query<{ n: number }>(text)).rows[0]!.n;
}

async function sql<T>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query(text, values)).rows as T[];
}

const PAGES = [
  '/',
  '/segments',
  '/segments/buying-committee',
  '/segments/buying-committee/members.csv',
  '/sources',
  '/destinations',
  '/profiles',
  '/profiles/1',
  '/destinations/sales-alerts/pause',
];

describe.skipIf(!CHROMIUM)('the console of roster run, in Chromium', () => {
  it('sends every page to the sign-in form without a session, and shows nothing for a wrong token', async () => {
    for (const route of PAGES) {
      const answer = await fetch(`${service.url}${route}`, { redirect: 'manual' });
      expect([route, answer.status, answer.headers.get('location')]).toEqual([route, 303, '/login']);
    }
    const { context, page } = await openContext();
    await page.goto(`${service.url}/segments/buying-committee`);
    expect(page.url()).toBe(`${service.url}/login`);
    await page.fill('#token', 'not-the-token');
    const [answer] = await Promise.all([
      page.waitForResponse(`${service.url}/login`),
      page.click('button[type=submit]'),
    ]);
    expect(answer.status()).toBe(401);
    const text = await page.content();
    expect(text).toContain('That token is not valid here. Nothing was shown.');
    expect(text).not.toMatch(/buying-committee|sales-alerts|@/);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'login.png') });
    await context.close();
  });

  it('lets a read-only session see the destinations but not pause them', async () => {
    const { context, page } = await signIn(READ_TOKEN);
    await visit(page, '/destinations');
    expect(await page.locator('a', { hasText: 'Pause' }).count()).toBe(0);
    expect(await page.textContent('main')).toContain('Read-only session');
    const refused = await page.goto(`${service.url}/destinations/sales-alerts/pause`);
    expect(refused?.status()).toBe(403);
    expect(await page.textContent('main')).toContain('This session is read-only');
    await context.close();
  });

  it('lists every segment with the size the database counts and a sparkline of its runs', async () => {
    const { context, page } = await signIn(WRITE_TOKEN);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'overview.png'), fullPage: true });
    // The overview: every applied resource with its revision and who applied it; sales-alerts needs attention.
    const resources = await sql<{ key: string; revision: number; by: string }>(
      `select kind || '/' || name as key, revision, applied_by as by from ${schema}.resources order by kind, name`,
    );
    expect(resources).toHaveLength(14);
    for (const r of resources)
      expect(await page.locator(`tr[data-resource="${r.key}"] td`).allTextContents()).toEqual([
        r.key,
        String(r.revision),
        expect.any(String),
        r.by,
        '—',
      ]);
    const dead = await countOf(`select count(*)::int as n from ${schema}.activation_outbox where status = 'dead'`);
    expect(await page.locator('#attention tbody tr').allTextContents()).toEqual([
      expect.stringContaining(`sales-alerts${dead} dead-lettered`),
    ]);
    await visit(page, '/segments', 'segments');
    const counts = await sql<{ segment: string; n: number }>(
      `select segment, count(*)::int as n from ${schema}.segment_memberships group by 1 order by 1`,
    );
    expect(counts.length).toBe(7);
    for (const { segment, n } of counts)
      expect([segment, await page.textContent(`tr[data-segment="${segment}"] td.size`)]).toEqual([
        segment,
        n.toLocaleString('en-US'),
      ]);
    // Each row's sparkline was drawn by uPlot, one point per successful run.
    const runs = await sql<{ segment: string; n: number }>(
      `select segment, count(*)::int as n from ${schema}.segment_runs where status = 'succeeded' group by 1 order by 1`,
    );
    for (const { segment, n } of runs)
      expect([segment, await page.getAttribute(`tr[data-segment="${segment}"] [data-chart]`, 'data-drawn')]).toEqual([
        segment,
        String(n),
      ]);
    expect(await page.locator('[data-chart] canvas').count()).toBe(7);
    await context.close();
  });

  it('shows a segment with its size, one chart point per run, its members, a search, the CSV and why a member is one', async () => {
    const { context, page } = await signIn(WRITE_TOKEN);
    await visit(page, '/segments/buying-committee', 'segment');
    const size = await countOf(
      `select count(*)::int as n from ${schema}.segment_memberships where segment = 'buying-committee'`,
    );
    const runs = await countOf(
      `select count(*)::int as n from ${schema}.segment_runs where segment = 'buying-committee' and status = 'succeeded'`,
    );
    expect(await page.textContent('#segment-size')).toBe(String(size));
    expect(await page.getAttribute('.chart[data-chart]', 'data-drawn')).toBe(String(runs));
    const members = await sql<{ id: number; email: string | null }>(
      `select m.subject_id::int as id, p.email from ${schema}.segment_memberships m join ${schema}.persons p on p.id = m.subject_id
       where m.segment = 'buying-committee' order by m.subject_id`,
    );
    const shown = await page
      .locator('#member-rows tr[data-subject]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-subject'))));
    expect(shown).toEqual(members.slice(0, 50).map((m) => m.id));
    expect(await page.textContent('#members-total')).toContain(`${size} `);
    expect(await page.textContent('#compiled-sql')).toContain(`from "${schema}".persons`);

    const someone = members.find((m) => m.email)!;
    await page.fill('input[name=q]', someone.email!);
    await Promise.all([page.waitForURL(/q=/), page.click('form.search button >> nth=0')]);
    expect(
      await page
        .locator('#member-rows tr[data-subject]')
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-subject')))),
    ).toEqual([someone.id]);

    const csv = await context.request.get(`${service.url}/segments/buying-committee/members.csv`);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('subject_id,entered_at,label,detail');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(members.map((m) => m.id));

    // The second page of the largest segment starts at its 51st member.
    const [fifty] = await sql<{ id: number }>(
      `select subject_id::int as id from ${schema}.segment_memberships where segment = 'nurture-prospects' order by subject_id offset 50 limit 1`,
    );
    await visit(page, '/segments/nurture-prospects');
    await Promise.all([page.waitForURL(/offset=50/), page.click('a[rel=next]')]);
    expect(await page.getAttribute('#member-rows tr[data-subject] >> nth=0', 'data-subject')).toBe(String(fifty!.id));

    await visit(page, `/segments/buying-committee?explain=${someone.id}`);
    expect(await page.textContent('#explain-result')).toContain(
      `person ${someone.id} IS a member of Segment/buying-committee now.`,
    );
    await visit(page, '/segments/buying-committee?explain=999999999');
    expect(await page.textContent('#explain-result')).toContain('is NOT a member');
    await context.close();
  });

  it('finds a profile by email and shows its identities and the segments it is in', async () => {
    const [person] = await sql<{ id: number; email: string }>(
      // A buying-committee member: a person with an account and an opportunity, in another segment too.
      `select p.id::int, p.email from ${schema}.persons p where p.email is not null and p.account_id is not null
       and exists (select 1 from ${schema}.segment_memberships m where m.segment = 'buying-committee' and m.subject_id = p.id)
       and (select count(*) from ${schema}.segment_memberships m where m.subject_type = 'person' and m.subject_id = p.id) >= 2
       order by p.id limit 1`,
    );
    const { context, page } = await signIn(WRITE_TOKEN);
    await visit(page, '/profiles');
    await page.fill('input[name=q]', person!.email.toUpperCase());
    await Promise.all([page.waitForURL(`${service.url}/profiles/${person!.id}`), page.click('form.search button')]);
    if (SHOTS) await page.screenshot({ path: path.join(SHOTS, 'profile.png'), fullPage: true });
    const expected = await sql<{ segment: string }>(
      `select segment from ${schema}.segment_memberships m join ${schema}.persons p on p.id = $1
       where (m.subject_type = 'person' and m.subject_id = p.id) or (m.subject_type = 'account' and m.subject_id = p.account_id) order by 1`,
      [person!.id],
    );
    const shown = await page.locator('#memberships tbody tr td:first-child').allTextContents();
    expect(shown).toEqual(expected.map((e) => e.segment));
    expect(await page.textContent('#identities')).toContain(person!.email);
    const [account] = await sql<{ name: string }>(
      `select a.name from ${schema}.accounts a join ${schema}.persons p on p.account_id = a.id where p.id = $1`,
      [person!.id],
    );
    expect(await page.textContent('#account')).toContain(account!.name);
    await context.close();
  });

  it('shows each source run with the counts the database holds', async () => {
    const { context, page } = await signIn(WRITE_TOKEN);
    await visit(page, '/sources', 'sources');
    const runs = await sql<{ runId: number; read: number }>(
      `select run_id::int as "runId", records_read::int as read from ${schema}.ingest_runs order by run_id desc`,
    );
    expect(runs.length).toBe(2);
    for (const run of runs)
      expect(await page.textContent(`tr[data-run="${run.runId}"] td:nth-child(7)`)).toBe(
        run.read.toLocaleString('en-US'),
      );
    const quarantined = await sql<{ source: string; reason: string }>(
      `select source, reason from ${schema}.quarantine order by id`,
    );
    expect(quarantined).toEqual([{ source: 'salesforce-crm', reason: expect.stringContaining('last tuesday') }]);
    const shown = await page.locator('#quarantine tbody tr').allTextContents();
    expect(shown).toHaveLength(1);
    expect(shown[0]).toContain(quarantined[0]!.reason);
    await context.close();
  });

  it('retries the dead-lettered changes of a destination after a confirmation, and the receiver gets them', async () => {
    const dead = await countOf(
      `select count(*)::int as n from ${schema}.activation_outbox where destination = 'sales-alerts' and status = 'dead'`,
    );
    expect(dead).toBeGreaterThan(0);
    acme.refuse.value = false;
    const { context, page } = await signIn(WRITE_TOKEN);
    await visit(page, '/destinations', 'destinations');
    await Promise.all([
      page.waitForURL(/\/destinations\/sales-alerts\/retry$/),
      page.click(`a[href="/destinations/sales-alerts/retry"]`),
    ]);
    // Nothing happens before the confirmation.
    expect(
      await sql(`select 1 from ${schema}.activation_outbox where destination = 'sales-alerts' and status <> 'dead'`),
    ).toEqual([]);
    await Promise.all([page.waitForURL(/\/destinations\?done=/), page.click('#confirm')]);
    expect(await page.textContent('p.notice')).toBe(
      `Destination/sales-alerts: ${dead} dead-lettered changes queued again.`,
    );
    const delivered = await waitFor(
      async () => {
        const [row] = await sql<{ delivered: number; open: number }>(
          `select count(*) filter (where status = 'delivered')::int as delivered, count(*) filter (where status in ('pending', 'dead'))::int as open
         from ${schema}.activation_outbox where destination = 'sales-alerts'`,
        );
        return row!.open === 0 ? row!.delivered : undefined;
      },
      'the retried changes to be delivered',
      120_000,
    );
    expect(delivered).toBe(dead);
    expect(acme.receiver.members().length).toBe(dead);
    await context.close();
  });

  it('pauses and resumes a destination, each after a confirmation, in destination_state', async () => {
    const { context, page } = await signIn(WRITE_TOKEN);
    const paused = async () =>
      (
        await sql<{ paused: boolean; by: string | null }>(
          `select paused, paused_by as by from ${schema}.destination_state where destination = 'marketo-nurture'`,
        )
      )[0];
    await visit(page, '/destinations');
    await page.click('a[href="/destinations/marketo-nurture/pause"]');
    expect((await paused())?.paused ?? false).toBe(false);
    await Promise.all([page.waitForURL(/done=/), page.click('#confirm')]);
    expect(await paused()).toEqual({ paused: true, by: expect.stringMatching(/^console@/) });
    expect(await page.textContent('[data-destination="marketo-nurture"] h2')).toContain('PAUSED');
    await page.click('a[href="/destinations/marketo-nurture/resume"]');
    await Promise.all([page.waitForURL(/done=/), page.click('#confirm')]);
    expect(await paused()).toEqual({ paused: false, by: null });
    // The page says only what the console did: a crafted link cannot make it show a message.
    await visit(page, '/destinations?done=Your+session+expired%2C+sign+in+at+evil.example&destination=marketo-nurture');
    expect(await page.locator('p.notice').count()).toBe(0);
    // A form posted without the session's CSRF token changes nothing.
    const forged = await context.request.post(`${service.url}/destinations/marketo-nurture/pause`, {
      form: { csrf: 'guessed' },
    });
    expect(forged.status()).toBe(403);
    expect((await paused())?.paused).toBe(false);
    await context.close();
  });

  it('shows a document edited in the database as changed outside Roster on the overview', async () => {
    const { context, page } = await signIn(READ_TOKEN);
    expect(await page.locator('#drift').textContent()).toContain('Nothing');
    const where = `where kind = 'Source' and name = 'marketo'`;
    const [before] = await sql<{ document: unknown }>(`select document from ${schema}.resources ${where}`);
    await sql(
      `update ${schema}.resources set document = jsonb_set(document, '{metadata,edited}', '"by hand"') ${where}`,
    );
    try {
      await visit(page, '/');
      expect(await page.locator('tr[data-drift] td').allTextContents()).toEqual([
        'Source/marketo',
        expect.stringContaining('edited in the database'),
      ]);
    } finally {
      await sql(`update ${schema}.resources set document = $1 ${where}`, [JSON.stringify(before!.document)]);
    }
    await context.close();
  });

  it('ends the session on sign-out, and never puts a token in a URL or a page', async () => {
    const { context, page } = await signIn(WRITE_TOKEN);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'roster_console', httpOnly: true, sameSite: 'Strict' });
    expect([READ_TOKEN, WRITE_TOKEN].some((t) => cookie!.value.includes(t))).toBe(false);
    await Promise.all([page.waitForURL(`${service.url}/login`), page.click('text=Sign out')]);
    const replayed = await fetch(`${service.url}/`, {
      redirect: 'manual',
      headers: { cookie: `roster_console=${cookie!.value}` },
    });
    expect(replayed.status).toBe(303);
    await context.close();
    expect(seenUrls.length).toBeGreaterThan(20);
    expect(seenPages.length).toBeGreaterThan(10);
    for (const token of [READ_TOKEN, WRITE_TOKEN]) {
      expect(seenUrls.filter((u) => u.includes(token))).toEqual([]);
      expect(seenPages.filter((p) => p.includes(token))).toEqual([]);
    }
  });
});

if (SHOTS) beforeAll(async () => fs.mkdir(SHOTS, { recursive: true }));
