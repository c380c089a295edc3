import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryContext, DestinationConnector } from '../../../engine/activation/connector';
import { createMarketoListConnector } from '../../../engine/activation/connectors/marketo-list-connector';
import { migrateSandbox } from '../../../engine/runtime/migrate-sandbox';
import { marketoInstanceOf } from '../../../engine/vendors/marketo/marketo-instance';
import { batchOf, member, personChange } from '../../support/marketo/activation-changes';
import { forgetMarketoInstance } from '../../support/marketo/forget-marketo-instance';
import { type MarketoServer, startMarketoServer } from '../../support/marketo/marketo-server';
import { apiRequests } from '../../support/marketo/marketo-test-client';
import { dropSandboxes, testPool, uniqueSandbox } from '../../support/test-database';

/**
 * Marketo's limits are the instance's: two destinations on instance A (built on two pools, as two
 * `roster run` processes would be, so only the database connects them) share A's 100 calls per
 * window and 10 in flight, while a destination on instance B keeps B's pace. The window is
 * compressed to two seconds; the servers enforce the same limits and answer 606/615 past them.
 */
const LIMITS = { callsPerWindow: 100, windowMs: 2000, maxConcurrency: 10 };
const BATCHES = 60;
const SECRET = 'ROSTER_TEST_MARKETO_SECRET';
const sandbox = uniqueSandbox('mil');
const pools: Pool[] = [];
let a: MarketoServer;
let b: MarketoServer;

beforeAll(async () => {
  pools.push(await testPool(), await testPool());
  await migrateSandbox(pools[0]!, sandbox); // creates roster_shared
  a = await startMarketoServer({ limits: LIMITS, latencyMs: 20 });
  b = await startMarketoServer({ limits: LIMITS, latencyMs: 20 });
  for (const server of [a, b]) await forgetMarketoInstance(pools[0]!, server.url);
});

afterAll(async () => {
  for (const server of [a, b]) {
    if (!server) continue;
    await forgetMarketoInstance(pools[0]!, server.url);
    await server.close();
  }
  await dropSandboxes(pools[0]!, [sandbox]);
  for (const pool of pools) await pool.end();
});

/** A static-list destination on `server`, its list seeded with nothing and its leads known. */
function destination(name: string, server: MarketoServer, listId: number, pool: Pool): DestinationConnector {
  server.leads.addList(listId, `Roster: ${name}`);
  server.leads.addLeads(emailsOf(name));
  return createMarketoListConnector(
    {
      sandbox,
      name,
      spec: {
        type: 'marketo-static-list',
        marketo: { endpoint: server.url, clientId: server.clientId, clientSecret: `secret://${SECRET}` },
        segments: [{ segment: 'hot-leads', listId }],
      },
    },
    {
      env: { [SECRET]: server.clientSecret },
      cwd: process.cwd(),
      log: () => {},
      marketo: { rateWindowMs: LIMITS.windowMs, rateLimitWaitMs: 50, retryBaseMs: 5 },
      pool,
    },
  );
}

function emailsOf(name: string): string[] {
  return Array.from({ length: BATCHES }, (_, i) => `${name}-${i}@acme-corp.example`);
}

const context: DeliveryContext = {
  currentMembers: async function* () {},
  signal: new AbortController().signal,
  log: () => {},
};

/** One batch per member (a lookup and a list add each), up to 10 batches in flight, as a drain would. */
async function deliverAll(connector: DestinationConnector, name: string, listId: number): Promise<number> {
  const started = Date.now();
  const queue = emailsOf(name);
  const worker = async () => {
    for (let email = queue.shift(); email; email = queue.shift())
      await connector.deliver(batchOf([personChange('entered', member(email))], listId), context);
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return Date.now() - started;
}

/** The most of `times` (ms) that fall within any `windowMs`. */
function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function countedToday(server: MarketoServer): Promise<number> {
  const { rows } = await pools[0]!.query<{ calls: number }>(
    'select quota_calls as calls from roster_shared.marketo_instances where instance = $1',
    [marketoInstanceOf(server.url)],
  );
  return rows[0]?.calls ?? 0;
}

describe('Marketo limits per instance', () => {
  it('keeps two destinations of one instance within its limits together, and leaves the other instance its pace', async () => {
    const first = destination('first', a, 1, pools[0]!);
    const second = destination('second', a, 2, pools[1]!);
    const other = destination('other', b, 3, pools[0]!);
    // B's pace alone, on a list of its own: the yardstick for B beside A's traffic.
    const alone = await deliverAll(destination('alone', b, 4, pools[0]!), 'alone', 4);
    const bCallsAlone = apiRequests(b).length;

    const [, , together] = await Promise.all([
      deliverAll(first, 'first', 1),
      deliverAll(second, 'second', 2),
      deliverAll(other, 'other', 3),
    ]);

    expect(a.leads.memberEmails(1)).toHaveLength(BATCHES);
    expect(a.leads.memberEmails(2)).toHaveLength(BATCHES);
    expect(b.leads.memberEmails(3)).toHaveLength(BATCHES);
    // A: 240 calls from two destinations, never more than the instance allows, never refused.
    expect(apiRequests(a)).toHaveLength(4 * BATCHES);
    expect(a.maxCallsInAnyWindow()).toBeLessThanOrEqual(LIMITS.callsPerWindow);
    expect(a.maxInFlight()).toBeLessThanOrEqual(LIMITS.maxConcurrency);
    expect(a.limitRejections).toEqual({ '606': 0, '615': 0 });
    // B: its calls keep the pace B has alone, whatever A's two destinations are waiting for.
    expect(apiRequests(b)).toHaveLength(4 * BATCHES);
    expect(bCallsAlone).toBe(2 * BATCHES);
    expect(b.limitRejections).toEqual({ '606': 0, '615': 0 });
    // Paced apart: within one window the two instances together took more than one instance may
    // (a limiter shared by both would cap them at its limit), and B kept about its pace alone.
    const arrivals = [...apiRequests(a), ...apiRequests(b).slice(bCallsAlone)].map((r) => r.receivedAt);
    expect(mostInAnyWindow(arrivals, LIMITS.windowMs)).toBeGreaterThan(LIMITS.callsPerWindow);
    expect(together).toBeLessThan(alone * 2 + 1000);
    // The daily quota is counted once per instance, whichever destination called it.
    expect(await countedToday(a)).toBe(4 * BATCHES);
    expect(await countedToday(b)).toBe(4 * BATCHES);
  }, 60_000);

  it('stops every destination of the instance when the instance has spent their dailyQuota', async () => {
    const spent = await countedToday(a);
    const capped = createMarketoListConnector(
      {
        sandbox,
        name: 'capped',
        spec: {
          type: 'marketo-static-list',
          marketo: {
            endpoint: a.url,
            clientId: a.clientId,
            clientSecret: `secret://${SECRET}`,
            dailyQuota: spent,
          },
          segments: [{ segment: 'hot-leads', listId: 1 }],
        },
      },
      { env: { [SECRET]: a.clientSecret }, cwd: process.cwd(), log: () => {}, pool: pools[1]! },
    );
    const sent = apiRequests(a).length;

    await expect(
      capped.deliver(batchOf([personChange('entered', member('first-0@acme-corp.example'))], 1), context),
    ).rejects.toMatchObject({
      retryable: true,
      message: expect.stringContaining(`Destination/capped: its dailyQuota of ${spent} calls is spent`),
    });
    expect(apiRequests(a)).toHaveLength(sent);
  });
});
