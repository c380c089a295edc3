import { promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { everyoneWebhookConfig } from '../support/everyone-webhook-config';
import { roster, rosterAsync, startRosterRun } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const sandbox = uniqueSandbox('poison');
const outbox = `roster_${sandbox}.activation_outbox`;
const PERSONS = 60;
const BATCH = 10;
const POISON = 'p15@poison.example';
const LOST_CLAIMS_LIMIT = 3;
const HOLD_MS = 1000;
let pool: Pool;
let env: NodeJS.ProcessEnv;
let other: WebhookReceiver;
let hook: { server: Server; url: string; kills: number; keys: string[] };
let worker: ReturnType<typeof rosterAsync> | undefined;

/**
 * Rows of the outbox per destination and status: how many, the most attempts, and the most claims
 * that ended with no outcome (`claims - attempts`: the times a worker died holding the change).
 */
async function outboxSummary() {
  const { rows } = await pool.query(
    `select destination, status, count(*)::int as n, max(attempts) as attempts, max(claims - attempts) as lost
     from ${outbox} group by 1, 2 order by 1, 2`,
  );
  return rows;
}

/**
 * `hook`'s endpoint: a request carrying the poison person kills the worker with SIGKILL, once the
 * `other` destination has everything recorded (so that the kill takes nothing of it along) and
 * after a moment in which the worker's other batches go out beside it; every other request is held
 * `HOLD_MS` (so that those batches are still in flight at the kill), then answered 200.
 */
async function startPoisonedHook(): Promise<typeof hook> {
  const state = { kills: 0, keys: [] as string[] };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', async () => {
      if (body.includes(POISON) && worker) {
        const victim = worker;
        await waitFor(async () => {
          const { rows } = await pool.query(
            `select count(*)::int as n from ${outbox} where destination = 'other' and status = 'delivered'`,
          );
          return rows[0].n === PERSONS ? true : undefined;
        }, "the other destination's changes to be recorded");
        await new Promise((resolve) => setTimeout(resolve, HOLD_MS / 2));
        state.kills++;
        victim.child.kill('SIGKILL');
        return;
      }
      const changes = (JSON.parse(body) as { changes: { idempotencyKey: string }[] }).changes;
      state.keys.push(...changes.map((c) => c.idempotencyKey));
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'), HOLD_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    server,
    url,
    get kills() {
      return state.kills;
    },
    keys: state.keys,
  };
}

beforeAll(async () => {
  pool = await testPool();
  env = {
    DATABASE_URL: await testDatabaseUrl(),
    ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    HOOK_SECRET: 'poison-secret',
    ROSTER_DELIVERY_LEASE_MS: '1000', // a killed worker's claim comes back after 1 s
  };
  hook = await startPoisonedHook();
  other = await startWebhookReceiver({ secret: 'poison-secret' });
  const hookFiles = everyoneWebhookConfig(hook.url, BATCH);
  const dir = await writeConfigDir({
    ...crmPeopleConfig(),
    ...hookFiles,
    // Four batches in flight: the batches beside the poisoned one lose their claim at the first kill too.
    'hook.yaml': hookFiles['hook.yaml']!.replace('maxConcurrency: 1', 'maxConcurrency: 4'),
    'other.yaml': hookFiles['hook.yaml']!.replace('name: hook', 'name: other').replace(hook.url, other.url),
  });
  await fs.mkdir(path.join(dir, 'data'));
  const rows = Array.from({ length: PERSONS }, (_, i) => `${i + 1},p${i + 1}@poison.example,Engineer`);
  await fs.writeFile(path.join(dir, 'data', 'people.csv'), `id,email,title\n${rows.join('\n')}\n`);
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
  expect(roster(['segment', 'run', 'everyone', '--sandbox', sandbox], env).code).toBe(0);
});

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  hook.server.closeAllConnections();
  await new Promise((resolve) => hook.server.close(resolve));
  await other.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

describe('a batch that kills its worker every time', () => {
  it(`is dead-lettered with the reason after ${LOST_CLAIMS_LIMIT} lost claims; the rest of its destination and the other destination are delivered`, async () => {
    for (let kill = 1; kill <= LOST_CLAIMS_LIMIT; kill++) {
      worker = rosterAsync(['run', '--sandbox', sandbox, '--port', '0'], env);
      const killed = await worker.done;
      expect(killed.code, killed.stderr).toBeNull(); // killed by the signal
      expect(hook.kills).toBe(kill);
      // The dead worker's leases run out: its claims come back.
      await waitFor(async () => {
        const { rows } = await pool.query(`select count(*)::int as n from ${outbox} where lease_expires_at > now()`);
        return rows[0].n === 0 ? true : undefined;
      }, "the killed worker's leases to expire");
    }
    // The next worker dead-letters the poisoned batch instead of sending it, and lives on.
    const running = await startRosterRun(sandbox, env);
    worker = running.service;
    await waitFor(async () => {
      const { rows } = await pool.query(`select count(*)::int as n from ${outbox} where status = 'pending'`);
      return rows[0].n === 0 ? true : undefined;
    }, 'every change to be delivered or dead-lettered');
    worker.child.kill('SIGTERM');
    const stopped = await worker.done;
    worker = undefined;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(hook.kills).toBe(LOST_CLAIMS_LIMIT);

    // Batches in flight beside the poisoned one at the first kill lost one claim at most: sent alone
    // after it, they landed; the crashes were counted against the poisoned batch only.
    const summary = await outboxSummary();
    expect(summary.map(({ lost, ...rest }) => rest)).toEqual([
      { destination: 'hook', status: 'dead', n: BATCH, attempts: 0 },
      { destination: 'hook', status: 'delivered', n: PERSONS - BATCH, attempts: 1 },
      { destination: 'other', status: 'delivered', n: PERSONS, attempts: 1 },
    ]);
    expect(summary.map((row) => row.lost)).toEqual([LOST_CLAIMS_LIMIT, expect.any(Number), 0]);
    expect(summary[1].lost).toBeLessThanOrEqual(1);
    const { rows: dead } = await pool.query<{ email: string; lastError: string }>(
      `select p.email, o.last_error as "lastError" from ${outbox} o join roster_${sandbox}.persons p on p.id = o.subject_id
       where o.status = 'dead'`,
    );
    expect(dead.map((d) => d.email)).toContain(POISON);
    expect(new Set(dead.map((d) => d.lastError))).toEqual(
      new Set([
        'claimed 3 times and never recorded: the worker sending it stopped each time (the process died or lost ' +
          'its database connection); dead-lettered so that it is not sent again. Fix the cause, then run ' +
          '`roster destination retry`',
      ]),
    );
    // Every member but the poisoned batch reached hook; everyone reached other.
    expect(new Set(hook.keys).size).toBe(PERSONS - BATCH);
    expect(other.members('everyone')).toHaveLength(PERSONS);
    const status = JSON.parse(
      roster(['destination', 'status', 'hook', '--sandbox', sandbox, '--format', 'json'], env).stdout,
    );
    expect(status.destinations[0]).toMatchObject({ dead: BATCH, delivered: PERSONS - BATCH, pending: 0 });
  }, 300_000);
});
