import type { Pool } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorEnvironment, DeliveryContext, DestinationConnector } from '../../../engine/activation/connector';
import { DeliveryError } from '../../../engine/activation/connector';
import { createMarketoListConnector } from '../../../engine/activation/connectors/marketo-list-connector';
import { MissingSecretError } from '../../../engine/config/resolve-secret';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import type { MarketoTarget } from '../../../schemas/generated/resource-types';
import {
  accountChange,
  accountChanges,
  batchOf as batchForList,
  buyerEmails,
  listCallIds,
  lookupParams,
  member,
  personChange,
} from '../../support/marketo/activation-changes';
import { forgetMarketoInstance } from '../../support/marketo/forget-marketo-instance';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import type { MarketoServerOptions, RecordedRequest } from '../../support/marketo/marketo-server-options';
import { apiRequests, rejectionOf, tokenRequests } from '../../support/marketo/marketo-test-client';
import { dropSandboxes, testPool, uniqueSandbox } from '../../support/test-database';

/** The static list the tests' segment is bound to (created in each test's fake instance). */
const LIST = 2001;
const SECRET_VARIABLE = 'ROSTER_TEST_MARKETO_SECRET';
/** Leads recorded in `lead_by_list.json`, seeded into the fake instance. */
const RECORDED = { email: 'JohnDoe_10093@tdtest.combo', id: 103280 };
const RECORDED_2 = { email: 'JohnDoe_10094@tdtest.combo', id: 103281 };

let server: MarketoServer;
let connector: DestinationConnector | undefined;
let pool: Pool;
const sandbox = uniqueSandbox('mlc');

// The instances' limits and quotas are counted in the database (roster_shared, made by the migrations).
beforeAll(async () => {
  pool = await testPool();
  await migrateSandbox(pool, sandbox);
});

afterAll(async () => {
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

afterEach(async () => {
  await connector?.close();
  connector = undefined;
  if (server) {
    // A later test's server may get the same port: it must find a fresh instance.
    await forgetMarketoInstance(pool, server.url);
  }
  await server?.close();
});

/** Starts the fake instance with list `LIST` and a connector for it (fast retry timing). */
async function setUp(
  options: { server?: MarketoServerOptions; marketo?: Partial<MarketoTarget>; rateWindowMs?: number } = {},
): Promise<{ logs: Record<string, unknown>[] }> {
  server = await startMarketoServer(options.server);
  server.leads.addList(LIST, 'Roster: hot leads');
  const logs: Record<string, unknown>[] = [];
  const environment: ConnectorEnvironment = {
    env: { [SECRET_VARIABLE]: server.clientSecret },
    cwd: process.cwd(),
    log: (entry) => logs.push(entry),
    marketo: { rateLimitWaitMs: 50, retryBaseMs: 5, rateWindowMs: options.rateWindowMs },
    pool,
  };
  connector = createMarketoListConnector(targetFor(options.marketo), environment);
  return { logs };
}

function targetFor(marketo: Partial<MarketoTarget> = {}) {
  return {
    sandbox: 'test',
    name: 'acme-marketo',
    spec: {
      type: 'marketo-static-list' as const,
      marketo: {
        endpoint: server.url,
        clientId: server.clientId,
        clientSecret: `secret://${SECRET_VARIABLE}`,
        ...marketo,
      },
      segments: [{ segment: 'hot-leads', listId: LIST }],
    },
  };
}

function batchOf(changes: Parameters<typeof batchForList>[0], listId = LIST) {
  return batchForList(changes, listId);
}

function contextFor(logs: Record<string, unknown>[] = []): DeliveryContext {
  return {
    currentMembers: async function* () {},
    signal: new AbortController().signal,
    log: (entry) => logs.push(entry),
  };
}

function calls(method: string, path: RegExp): RecordedRequest[] {
  return apiRequests(server).filter((request) => request.method === method && path.test(request.path));
}

const LIST_PATH = new RegExp(`^/rest/v1/lists/${LIST}/leads\\.json$`);
const LEADS_PATH = /^\/rest\/v1\/leads\.json$/;

/** The lookups received, with their parameters. */
function lookups(): { method: string; params: Record<string, string> }[] {
  return apiRequests(server)
    .filter((request) => LEADS_PATH.test(request.path))
    .map((request) => ({ method: request.method, params: lookupParams(request) }));
}

/**
 * What `request` carries besides the identifiers a list connector may send: lookup parameters with
 * `allowed.values` (emails, ECIDs) and field names `id,email` / `id,ecids` / `id,email,ecids`, list bodies of
 * `{"input":[{"id":N}]}` with existing lead ids, on the leads and list paths only.
 */
function whatElseWasSent(request: RecordedRequest, allowed: { values: Set<string>; leadIds: Set<number> }): string[] {
  const what = `${request.method} ${request.path}`;
  if (LIST_PATH.test(request.path)) {
    const body = JSON.parse(request.body) as Record<string, { id?: unknown }[]>;
    const entries = Object.keys(body).join() === 'input' ? (body.input ?? []) : [{}];
    const others = entries.filter(
      (entry) => Object.keys(entry).join() !== 'id' || !allowed.leadIds.has(Number(entry.id)),
    );
    return others.length > 0 || Object.keys(request.query).length > 0 ? [`${what}: ${request.body.slice(0, 80)}`] : [];
  }
  if (!LEADS_PATH.test(request.path)) return [`${what}: not a lookup or list call`];
  const params = { ...request.query, ...lookupParams(request) };
  return Object.entries(params).flatMap(([name, value]) => {
    const sendable =
      (name === 'filterType' && ['email', 'ecids'].includes(value)) ||
      (name === 'fields' && ['id,email', 'id,ecids', 'id,email,ecids'].includes(value)) ||
      (name === '_method' && value === 'GET' && request.method === 'POST') ||
      (name === 'filterValues' && value.split(',').every((entry) => allowed.values.has(entry)));
    return sendable ? [] : [`${what}: ${name}=${value.slice(0, 80)}`];
  });
}

describe('marketo-static-list connector', () => {
  it('adds entered members and removes exited ones in calls of at most 300 ids, looking up at most 300 emails a call', async () => {
    await setUp();
    const emails = buyerEmails(700);
    server.leads.addLeads(emails);
    const logs: Record<string, unknown>[] = [];

    const entered = await connector!.deliver(batchOf(accountChanges('entered', emails)), contextFor(logs));

    expect(entered.unmatched).toEqual([]);
    expect(server.leads.memberEmails(LIST)).toEqual(emails.map((email) => email.toLowerCase()).sort());
    const adds = calls('POST', LIST_PATH);
    expect(adds.map((request) => listCallIds(request).length).sort()).toEqual([100, 300, 300]);
    const found = lookups();
    expect(found.map(({ params }) => params.filterValues!.split(',').length).sort()).toEqual([100, 300, 300]);
    // 300 emails do not fit in a URL: those go as POST with _method=GET and a form body.
    expect(found.map(({ method, params }) => `${method} ${params.filterValues!.split(',').length}`).sort()).toEqual([
      'GET 100',
      'POST 300',
      'POST 300',
    ]);
    expect(calls('POST', LEADS_PATH).every((request) => request.query._method === 'GET')).toBe(true);
    expect(logs).toEqual([
      expect.objectContaining({ msg: 'marketo list batch delivered', listId: LIST, changes: 140, added: 700 }),
    ]);

    const leaving = emails.slice(0, 350);
    const exited = await connector!.deliver(batchOf(accountChanges('exited', leaving)), contextFor());

    expect(exited.unmatched).toEqual([]);
    expect(
      calls('DELETE', LIST_PATH)
        .map((request) => listCallIds(request).length)
        .sort(),
    ).toEqual([300, 50]);
    expect(server.leads.memberEmails(LIST)).toEqual(
      emails
        .slice(350)
        .map((email) => email.toLowerCase())
        .sort(),
    );
    expect(apiRequests(server).every((request) => request.answered === '200')).toBe(true);
  });

  it('reports members without a lead as unmatched and never creates a lead', async () => {
    await setUp();
    const [colleague] = server.leads.addLeads(['maria.lopez@globex.example']);
    const known = personChange('entered', member(RECORDED.email.toUpperCase()));
    const unknown = personChange('entered', member('nobody@initech.example'));
    const noEmail = personChange('entered', member(null));
    const mergedAway = { ...personChange('entered', member(null)), members: [] };
    const halfKnownAccount = accountChange('entered', 7, [
      member('maria.lopez@globex.example'),
      member('x@globex.example'),
    ]);
    const unknownAccount = accountChange('entered', 8, [member('a@umbrella.example'), member('b@umbrella.example')]);
    const unknownLeaver = personChange('exited', member('gone@initech.example'));

    const result = await connector!.deliver(
      batchOf([known, unknown, noEmail, mergedAway, halfKnownAccount, unknownAccount, unknownLeaver]),
      contextFor(),
    );

    expect(result.unmatched).toEqual([
      {
        outboxId: unknown.outboxId,
        reason: expect.stringMatching(/^no Marketo lead with email nobody@initech\.example; /),
      },
      { outboxId: noEmail.outboxId, reason: expect.stringMatching(/^person \d+ has no email to match a Marketo lead/) },
      { outboxId: mergedAway.outboxId, reason: expect.stringContaining('no longer exists') },
      {
        outboxId: unknownAccount.outboxId,
        reason: expect.stringContaining('none of the 2 activated persons of account 8 has a Marketo lead'),
      },
      {
        outboxId: unknownLeaver.outboxId,
        reason: expect.stringContaining('no Marketo lead with email gone@initech.example'),
      },
    ]);
    expect(
      server.leads
        .listMembers(LIST)
        .map((lead) => lead.id)
        .sort(),
    ).toEqual([RECORDED.id, colleague!.id].sort());
    expect(server.leadWrites).toEqual([]);
    const writes = apiRequests(server).filter(
      (request) =>
        (LEADS_PATH.test(request.path) && request.query._method !== 'GET' && request.method !== 'GET') ||
        /\/leads\/(push|\d+\/merge)\.json$/.test(request.path),
    );
    expect(writes).toEqual([]);
  });

  it('looks up members the email did not match by ECID, when fields include ecid', async () => {
    await setUp({ marketo: { fields: ['email', 'ecid'] } });
    const ecidLead = server.leads.addLead({ email: 'j.smith@old-employer.example', ecids: ['38461572094856712345'] });
    const byEmail = personChange('entered', member(RECORDED.email, { ecid: '11111111111111111111' }));
    const byEcid = personChange('entered', member('jane.smith@acme-corp.example', { ecid: '38461572094856712345' }));
    const neither = personChange('entered', member('ghost@acme-corp.example', { ecid: '99999999999999999999' }));

    const result = await connector!.deliver(batchOf([byEmail, byEcid, neither]), contextFor());

    expect(
      server.leads
        .listMembers(LIST)
        .map((lead) => lead.id)
        .sort(),
    ).toEqual([RECORDED.id, ecidLead.id].sort());
    expect(result.unmatched).toEqual([
      {
        outboxId: neither.outboxId,
        reason: expect.stringContaining(
          'no Marketo lead with email ghost@acme-corp.example (or ECID 99999999999999999999)',
        ),
      },
    ]);
    const byEcidLookups = lookups().filter(({ params }) => params.filterType === 'ecids');
    // The member matched by email is not looked up by ECID.
    expect(byEcidLookups.map(({ params }) => params.filterValues)).toEqual([
      '38461572094856712345,99999999999999999999',
    ]);
  });

  it('sends nothing but emails, ECIDs, lead ids and list ids', async () => {
    await setUp({ marketo: { fields: ['email', 'ecid'] } });
    const emails = buyerEmails(400, 'hooli');
    server.leads.addLeads(emails);
    const profile = { firstName: 'Jane', 'account.name': 'Hooli', phone: '+1 555 0100', ecid: '20000000000000000001' };
    const members = emails.map((email) => member(email, profile));
    const changes = [
      ...accountChanges('entered', emails.slice(0, 300)),
      personChange('entered', member('unknown@hooli.example', profile)),
      ...accountChanges('exited', emails.slice(300)),
    ];

    await connector!.deliver(batchOf(changes), contextFor());

    const allowed = {
      values: new Set([...members.map((m) => String(m.fields.email)), 'unknown@hooli.example', profile.ecid]),
      leadIds: new Set(server.leads.leads.keys()),
    };
    const problems = apiRequests(server).flatMap((request) => whatElseWasSent(request, allowed));
    expect(problems).toEqual([]);
    expect(lookups().length).toBeGreaterThan(0);
    expect(calls('DELETE', LIST_PATH)).toHaveLength(1);
  });

  it('recovers from a 606 answer and an expired token mid-run, and the list ends with the members', async () => {
    const { logs } = await setUp({
      server: {
        faults: [
          { call: 2, answer: '606' },
          { call: 4, answer: '602' },
        ],
      },
    });
    const emails = buyerEmails(600, 'initech');
    server.leads.addLeads(emails);

    const result = await connector!.deliver(batchOf(accountChanges('entered', emails)), contextFor());

    expect(result.unmatched).toEqual([]);
    expect(server.leads.memberEmails(LIST)).toEqual(emails.map((email) => email.toLowerCase()).sort());
    expect(apiRequests(server).map((request) => request.answered)).toEqual(
      expect.arrayContaining(['606', '602', '200']),
    );
    expect(tokenRequests(server)).toHaveLength(2);
    expect(logs.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('rate limit (606); retrying in 50 ms'),
        expect.stringContaining('renewing the access token and retrying once'),
      ]),
    );
    // Each refused call was sent again: two lookups and two adds were served, whatever was refused before.
    const served = apiRequests(server).filter((request) => request.answered === '200');
    expect(served.map((request) => `${request.method} ${request.path}`).sort()).toEqual([
      'POST /rest/v1/leads.json',
      'POST /rest/v1/leads.json',
      `POST /rest/v1/lists/${LIST}/leads.json`,
      `POST /rest/v1/lists/${LIST}/leads.json`,
    ]);
  });

  it('is idempotent: the same batch sent twice leaves the same list and reports nothing', async () => {
    await setUp();
    server.leads.lists.get(LIST)!.members.add(RECORDED.id);
    const batch = batchOf([
      personChange('exited', member(RECORDED.email)),
      personChange('entered', member(RECORDED_2.email)),
    ]);

    expect((await connector!.deliver(batch, contextFor())).unmatched).toEqual([]);
    expect((await connector!.deliver(batch, contextFor())).unmatched).toEqual([]);

    expect(server.leads.listMembers(LIST).map((lead) => lead.id)).toEqual([RECORDED_2.id]);
    // The second removal meets a lead no longer in the list (skipped, 1015): done all the same.
    expect(calls('DELETE', LIST_PATH).map((request) => [listCallIds(request), request.answered])).toEqual([
      [[RECORDED.id], '200'],
      [[RECORDED.id], '200'],
    ]);
  });

  it('answers 607 (daily quota reached) with a retryable error until midnight in Chicago, and calls no more', async () => {
    await setUp({ server: { dailyQuota: 1 } });
    server.leads.addLeads(['pat.doe@acme-corp.example']);
    const batch = batchOf([personChange('entered', member('pat.doe@acme-corp.example'))]);

    const error = await rejectionOf(connector!.deliver(batch, contextFor()));

    expect(error).toBeInstanceOf(DeliveryError);
    const { retryable, retryAfterMs, message } = error as DeliveryError;
    expect(retryable).toBe(true);
    expect(message).toContain("Marketo answered 607: the instance's daily API quota is reached");
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(25 * 3_600_000);
    expect(wallClockInChicago(Date.now() + retryAfterMs!)).toMatch(/ 00:00$/);
    expect(wallClockInChicago(Date.now() + retryAfterMs! - 60_000)).toMatch(/ 23:59$/);
    const sent = apiRequests(server).length;

    await expect(connector!.deliver(batch, contextFor())).rejects.toMatchObject({ retryable: true });
    expect(apiRequests(server)).toHaveLength(sent);
  });

  it('stops at its own dailyQuota before Marketo refuses, with a retryable error', async () => {
    await setUp({ marketo: { dailyQuota: 2 } });
    server.leads.addLeads(['pat.doe@acme-corp.example']);
    const enter = batchOf([personChange('entered', member('pat.doe@acme-corp.example'))]);
    await connector!.deliver(enter, contextFor());

    const error = (await rejectionOf(connector!.deliver(enter, contextFor()))) as DeliveryError;

    expect(error).toMatchObject({ name: 'DeliveryError', retryable: true });
    expect(error.message).toContain('Destination/acme-marketo: its dailyQuota of 2 calls is spent');
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(apiRequests(server)).toHaveLength(2);
  });

  it('fails for good, saying what to fix, when the static list does not exist (1013)', async () => {
    await setUp();
    server.leads.addLeads(['pat.doe@acme-corp.example']);

    const error = (await rejectionOf(
      connector!.deliver(batchOf([personChange('entered', member('pat.doe@acme-corp.example'))], 1001), contextFor()),
    )) as DeliveryError;

    expect(error).toMatchObject({ name: 'DeliveryError', retryable: false });
    expect(error.message).toContain('static list 1001 does not exist in Marketo');
    expect(error.message).toContain('fix listId of segment hot-leads');
  });

  it('makes no call for a cancelled delivery or a segment bound to no list, and says which can be retried', async () => {
    await setUp();
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const batch = batchOf([personChange('entered', member(RECORDED.email))]);

    await expect(connector!.deliver(batch, { ...contextFor(), signal: controller.signal })).rejects.toMatchObject({
      name: 'DeliveryError',
      retryable: true,
      message: expect.stringContaining('delivery cancelled'),
    });
    await expect(
      connector!.deliver({ ...batch, binding: { segment: 'hot-leads' } }, contextFor()),
    ).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('segment hot-leads has no listId') });
    expect(apiRequests(server)).toEqual([]);
  });

  it('mirror reports missing members and unexpected emails, and repair makes the list equal', async () => {
    await setUp();
    const [ana, ben, stray] = server.leads.addLeads([
      'ana@acme-corp.example',
      'ben@acme-corp.example',
      'stray@old.example',
    ]);
    const noEmailLead = server.leads.addLead({ ecids: ['55'] });
    server.leads.addList(LIST, 'Roster: hot leads', [ana!.id, stray!.id, noEmailLead.id]);
    const expected = [
      member('ANA@acme-corp.example'),
      member('ben@acme-corp.example'),
      member('cleo@acme-corp.example'),
    ];

    const drift = await connector!.mirror!(
      { segment: 'hot-leads', listId: LIST },
      expected,
      { repair: false },
      contextFor(),
    );

    expect(drift.missing.map((m) => m.fields.email)).toEqual(['ben@acme-corp.example', 'cleo@acme-corp.example']);
    expect(drift.unexpected).toEqual(['stray@old.example', `lead:${noEmailLead.id}`]);
    expect(server.leads.listMembers(LIST).map((lead) => lead.id)).toEqual([ana!.id, stray!.id, noEmailLead.id]);

    const repaired = await connector!.mirror!(
      { segment: 'hot-leads', listId: LIST },
      expected,
      { repair: true },
      contextFor(),
    );
    expect(repaired).toEqual(drift);
    expect(
      server.leads
        .listMembers(LIST)
        .map((lead) => lead.id)
        .sort(),
    ).toEqual([ana!.id, ben!.id].sort());

    const after = await connector!.mirror!(
      { segment: 'hot-leads', listId: LIST },
      expected,
      { repair: false },
      contextFor(),
    );
    // cleo has no lead: still missing, never created.
    expect(after).toEqual({ missing: [expected[2]], unexpected: [] });
    expect(server.leadWrites).toEqual([]);
  });

  it('mirror with ecid in fields counts a lead reached through its ECID as the member, and repair adds by ECID', async () => {
    await setUp({ marketo: { fields: ['email', 'ecid'] } });
    const janeLead = server.leads.addLead({ email: 'j.smith@old-employer.example', ecids: ['38461572094856712345'] });
    const kimLead = server.leads.addLead({ email: 'kim@old-employer.example', ecids: ['27350461983745601234'] });
    const [stray] = server.leads.addLeads(['stray@old.example']);
    server.leads.addList(LIST, 'Roster: hot leads', [janeLead.id, stray!.id]);
    const expected = [
      member('jane.smith@acme-corp.example', { ecid: '38461572094856712345' }),
      member('kim@acme-corp.example', { ecid: '27350461983745601234' }),
    ];
    const mirror = (repair: boolean) =>
      connector!.mirror!({ segment: 'hot-leads', listId: LIST }, expected, { repair }, contextFor());

    const drift = await mirror(false);
    expect(drift).toEqual({ missing: [expected[1]], unexpected: ['stray@old.example'] });
    expect(calls('GET', LIST_PATH).map((request) => request.query.fields)).toEqual(['id,email,ecids']);

    expect(await mirror(true)).toEqual(drift);
    expect(
      server.leads
        .listMembers(LIST)
        .map((lead) => lead.id)
        .sort(),
    ).toEqual([janeLead.id, kimLead.id].sort());
    expect(await mirror(false)).toEqual({ missing: [], unexpected: [] });
    expect(server.leadWrites).toEqual([]);
  });

  it('mirror reads a large list in pages of 300', async () => {
    await setUp();
    const emails = buyerEmails(650, 'globex');
    const leads = server.leads.addLeads(emails);
    server.leads.addList(
      LIST,
      'Roster: hot leads',
      leads.map((lead) => lead.id),
    );

    const drift = await connector!.mirror!(
      { segment: 'hot-leads', listId: LIST },
      emails.map((email) => member(email)),
      { repair: false },
      contextFor(),
    );

    expect(drift).toEqual({ missing: [], unexpected: [] });
    const pages = calls('GET', LIST_PATH);
    expect(pages.map((request) => request.query.nextPageToken === undefined)).toEqual([true, false, false]);
    expect(pages.every((request) => request.query.fields === 'id,email' && request.query.batchSize === '300')).toBe(
      true,
    );
  });

  it('keeps concurrent batches within the configured calls per window and concurrency, sharing one limiter', async () => {
    const limits = { callsPerWindow: 5, windowMs: 400, maxConcurrency: 2 };
    await setUp({
      server: { limits, latencyMs: 10 },
      marketo: { callsPer20Seconds: 5, maxConcurrency: 2 },
      rateWindowMs: 400,
    });
    const emails = buyerEmails(1200, 'wayne');
    server.leads.addLeads(emails);
    const batches = [0, 1, 2, 3].map((i) => batchOf(accountChanges('entered', emails.slice(i * 300, (i + 1) * 300))));

    const results = await Promise.all(batches.map((batch) => connector!.deliver(batch, contextFor())));

    expect(results.flatMap((result) => result.unmatched)).toEqual([]);
    expect(server.leads.memberEmails(LIST)).toHaveLength(1200);
    expect(apiRequests(server).length).toBeGreaterThanOrEqual(8);
    expect(server.maxCallsInAnyWindow()).toBeLessThanOrEqual(5);
    expect(server.maxInFlight()).toBeLessThanOrEqual(2);
    expect(server.limitRejections).toEqual({ '606': 0, '615': 0 });
    expect(connector!.maxConcurrency).toBe(2);
    expect(connector!.maxBatchSize).toBe(300);
  });

  it('needs the secret when it is built: a missing variable throws MissingSecretError', async () => {
    server = await startMarketoServer();
    const environment: ConnectorEnvironment = { env: {}, cwd: process.cwd(), log: () => {}, pool };

    expect(() => createMarketoListConnector(targetFor(), environment)).toThrow(MissingSecretError);
    expect(() => createMarketoListConnector(targetFor(), environment)).toThrow(
      `Destination/acme-marketo (marketo.clientSecret) needs the secret ${SECRET_VARIABLE}`,
    );
  });
});

/** `YYYY-MM-DD HH:MM` on a Chicago wall clock, read with Intl (independently of the connector's code). */
function wallClockInChicago(instant: number): string {
  return new Date(instant).toLocaleString('sv-SE', { timeZone: 'America/Chicago' }).slice(0, 16);
}
