import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { claimChanges } from '../../../engine/activation/claim-changes';
import { drainDestination } from '../../../engine/activation/drain-destination';
import { recordDelivered } from '../../../engine/activation/record-outcome';
import { renewLease } from '../../../engine/activation/renew-lease';
import { withTransaction } from '../../../engine/runtime/with-transaction';
import { waitFor } from '../../support/wait-for';
import { rosterOk, segmentYaml, useSegmentWorkspace, writeConfig, writeCrmData } from '../segment/segment-sandbox';
import { DELIVERY_ENV, evaluateAll, scoredPersons, webhookYaml } from './delivery-kit';

const workspace = useSegmentWorkspace();
const T1 = new Date('2026-06-01T00:00:00Z');
const HOLD_MS = 2000;
const servers: Server[] = [];

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const HIGH = segmentYaml({
  name: 'high-score',
  subject: 'person',
  where: { attribute: 'score', op: 'gte', value: 50 },
});

/**
 * A webhook endpoint that holds the `n`th request `holdMs(n)` (default `HOLD_MS`) before answering
 * 200; `held` counts those waiting now, `keys` the idempotency keys received.
 */
async function slowReceiver(holdMs: (n: number) => number = () => HOLD_MS) {
  const state = { held: 0, requests: 0, keys: [] as string[] };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const changes = (JSON.parse(body) as { changes: { idempotencyKey: string }[] }).changes;
      state.keys.push(...changes.map((c) => c.idempotencyKey));
      state.held++;
      setTimeout(
        () => {
          state.held--;
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        },
        holdMs(++state.requests),
      );
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, state };
}

/**
 * Every ~100 ms until `stop`: the connections to the test's database that are idle in a
 * transaction, and whether the receiver was holding a request at that moment.
 */
async function watchTransactions(url: string, receiving: () => boolean) {
  const client = new Client({ connectionString: url, application_name: 'lease-test-watch' });
  await client.connect();
  const samples: { receiving: boolean; idle: { application: string; query: string }[] }[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const during = receiving();
      const { rows } = await client.query<{ application: string; query: string }>(
        `select application_name as application, query from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
      );
      samples.push({ receiving: during && receiving(), idle: rows });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await loop;
      await client.end();
    },
  };
}

/** `webhookYaml` (batches of 2), with `maxConcurrency` batches in flight. */
function hookYaml(url: string, maxConcurrency: number): string {
  const destination = parse(webhookYaml('hook', url, [{ segment: 'high-score' }]));
  return stringify({ ...destination, spec: { ...destination.spec, rateLimit: { maxConcurrency } } });
}

async function setup(prefix: string, hookYaml: string, scores: number[]) {
  const { sandbox, dir } = await workspace.newSandbox(prefix);
  await writeConfig(dir, { 'segments/high.yaml': HIGH, 'destinations/hook.yaml': hookYaml });
  await writeCrmData(dir, { persons: scoredPersons(scores) });
  const env = { ...workspace.env, ...DELIVERY_ENV };
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes'], env);
  await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
  await evaluateAll(workspace, sandbox, T1);
  return sandbox;
}

describe('delivery leases', () => {
  it('no transaction is open while the destination holds a request (pg_stat_activity shows none idle in transaction)', async () => {
    const receiver = await slowReceiver();
    // One batch in flight at a time: whatever is open in the database during a held request is the batch's own.
    const sandbox = await setup('hold', hookYaml(receiver.url, 1), [60, 70, 80, 90]);
    const watch = await watchTransactions(workspace.env.DATABASE_URL!, () => receiver.state.held > 0);
    const result = await drainDestination({
      pool: workspace.pool,
      sandbox,
      destination: 'hook',
      environment: { env: { ...DELIVERY_ENV }, cwd: process.cwd(), log: () => {} },
    }).finally(() => watch.stop());
    expect(result).toMatchObject({ status: 'drained', delivered: 4, batches: 2 });
    const watched = watch.samples.filter((s) => s.receiving);
    expect(watched.length).toBeGreaterThanOrEqual(10); // the watch covered the held requests
    expect(watched.flatMap((s) => s.idle)).toEqual([]);
  });

  it('renews the lease of a batch whose request outlasts it: no other worker claims and sends it again', async () => {
    // The batches land one after another, 50 ms, 2 s and 4 s after they were sent: each time one
    // lands, the idle workers claim again while the others are still held, their first lease long
    // run out.
    const receiver = await slowReceiver((n) => [50, HOLD_MS][n - 1] ?? 2 * HOLD_MS);
    const sandbox = await setup('renew', hookYaml(receiver.url, 4), [60, 70, 80, 90, 95, 99]);
    const result = await drainDestination({
      pool: workspace.pool,
      sandbox,
      destination: 'hook',
      // A lease far shorter than the request: only its renewal keeps the idle workers from claiming it.
      environment: { env: { ...DELIVERY_ENV, ROSTER_DELIVERY_LEASE_MS: '300' }, cwd: process.cwd(), log: () => {} },
    });
    expect(result).toMatchObject({ status: 'drained', delivered: 6, batches: 3 });
    expect(receiver.state.keys).toHaveLength(6);
    expect(new Set(receiver.state.keys).size).toBe(6);
    const { rows } = await workspace.pool.query(
      `select status, count(*)::int as n, max(claims) as claims, max(attempts) as attempts,
         count(lease_expires_at)::int as leased
       from roster_${sandbox}.activation_outbox group by 1`,
    );
    expect(rows).toEqual([{ status: 'delivered', n: 6, claims: 1, attempts: 1, leased: 0 }]);
  });

  it('a late worker whose lease expired and was claimed again records nothing; the new holder records once', async () => {
    const receiver = await slowReceiver(); // never called: the claims are made by hand
    const sandbox = await setup('late', hookYaml(receiver.url, 1), [60, 70]);
    const schema = `roster_${sandbox}`;
    const claim = (owner: string, leaseMs: number) =>
      withTransaction(workspace.pool, (client) =>
        claimChanges(client, schema, {
          destination: 'hook',
          limit: 10,
          throughId: null,
          owner,
          leaseMs,
          maxLostClaims: 3,
        }),
      );
    const late = await claim('late-worker', 100);
    expect(late.changes).toHaveLength(2);
    // While the lease runs, nobody else can claim them.
    expect((await claim('early-bird', 60_000)).changes).toHaveLength(0);
    const current = await waitFor(async () => {
      const taken = await claim('new-holder', 60_000);
      return taken.changes.length > 0 ? taken : undefined;
    }, 'the late lease to expire');
    expect(current.changes.map((c) => c.outboxId)).toEqual(late.changes.map((c) => c.outboxId));
    expect(current.changes.map((c) => c.lostClaims)).toEqual([1, 1]);
    const record = (owner: string) =>
      withTransaction(workspace.pool, (client) =>
        recordDelivered(
          client,
          schema,
          { destination: 'hook', batchId: owner, owner, changes: late.changes },
          new Map(),
        ),
      );
    await renewLease(workspace.pool, schema, { owner: 'late-worker', leaseMs: 60_000, changes: late.changes });
    expect(await record('late-worker')).toEqual([]);
    const { rows: held } = await workspace.pool.query(
      `select status, claimed_by as "claimedBy", attempts from ${schema}.activation_outbox order by id`,
    );
    expect(held).toEqual([
      { status: 'pending', claimedBy: 'new-holder', attempts: 0 },
      { status: 'pending', claimedBy: 'new-holder', attempts: 0 },
    ]);
    expect(await record('new-holder')).toHaveLength(2);
    expect(await record('new-holder')).toEqual([]); // recorded once
    const { rows } = await workspace.pool.query(
      `select (select count(*)::int from ${schema}.activation_outbox where status = 'delivered' and attempts = 1 and batch_id = 'new-holder') as delivered,
         (select count(*)::int from ${schema}.destination_members where destination = 'hook') as members`,
    );
    expect(rows).toEqual([{ delivered: 2, members: 2 }]);
  });
});
