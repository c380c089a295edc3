import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { everyoneWebhookConfig } from '../support/everyone-webhook-config';
import { roster, rosterAsync } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const sandbox = uniqueSandbox('kill');
const PERSONS = 300;
const BATCH = 20;
const KILL_AT_REQUEST = 5;
let pool: Pool;
let env: NodeJS.ProcessEnv;
let receiver: WebhookReceiver;
let worker: ReturnType<typeof rosterAsync> | undefined;

beforeAll(async () => {
  pool = await testPool();
  env = {
    DATABASE_URL: await testDatabaseUrl(),
    ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    HOOK_SECRET: 'crash-secret',
    // The killed worker's claim comes back when its lease runs out: 1 s here instead of 30.
    ROSTER_DELIVERY_LEASE_MS: '1000',
  };
  // The receiver kills the delivery worker with SIGKILL while answering its 5th request: that batch
  // is accepted (applied) by the receiver but its answer never reaches the worker.
  let requests = 0;
  receiver = await startWebhookReceiver({
    secret: 'crash-secret',
    respond: () => {
      if (++requests === KILL_AT_REQUEST) worker?.child.kill('SIGKILL');
      return undefined;
    },
  });
  const dir = await writeConfigDir({
    ...crmPeopleConfig(),
    ...everyoneWebhookConfig(receiver.url, BATCH),
  });
  await fs.mkdir(path.join(dir, 'data'));
  const rows = Array.from({ length: PERSONS }, (_, i) => `${i + 1},p${i + 1}@crash.example,Engineer`);
  await fs.writeFile(path.join(dir, 'data', 'people.csv'), `id,email,title\n${rows.join('\n')}\n`);
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
  expect(roster(['segment', 'run', 'everyone', '--sandbox', sandbox], env).code).toBe(0);
});

afterAll(async () => {
  await receiver.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

describe('kill -9 of the delivery worker', () => {
  it('once its lease expires the restarted worker sends the in-flight batch again: the receiver holds exactly the members, only that batch came twice, and each change is marked delivered once', async () => {
    worker = rosterAsync(['destination', 'activate', 'hook', '--sandbox', sandbox], env);
    const killed = await worker.done;
    expect(killed.code).toBeNull(); // killed by the signal
    const { rows: midway } = await pool.query(
      `select status, count(*)::int as n from roster_${sandbox}.activation_outbox group by 1 order by 1`,
    );
    // The batch the receiver accepted was never recorded: its claim is a lease the dead worker no
    // longer renews, the changes still pending, their attempt not counted.
    expect(midway).toEqual([
      { status: 'delivered', n: (KILL_AT_REQUEST - 1) * BATCH },
      { status: 'pending', n: PERSONS - (KILL_AT_REQUEST - 1) * BATCH },
    ]);
    const { rows: leased } = await pool.query(
      `select count(*)::int as n, max(claims) as claims, max(attempts) as attempts
       from roster_${sandbox}.activation_outbox where status = 'pending' and claimed_by is not null`,
    );
    expect(leased).toEqual([{ n: BATCH, claims: 1, attempts: 0 }]);
    // The lease runs out, and nobody renews it.
    await waitFor(async () => {
      const { rows } = await pool.query(
        `select count(*)::int as n from roster_${sandbox}.activation_outbox where lease_expires_at > now()`,
      );
      return rows[0].n === 0 ? true : undefined;
    }, "the killed worker's lease to expire");

    worker = undefined;
    // Asynchronously: the receiver lives in this process and must keep answering.
    const restarted = await rosterAsync(['destination', 'activate', 'hook', '--sandbox', sandbox], env).done;
    expect(restarted.code, restarted.stderr).toBe(0);
    const expected = Array.from({ length: PERSONS }, (_, i) => `p${i + 1}@crash.example`).sort();
    expect(
      receiver
        .members('everyone')
        .map((m) => String(m.fields?.email))
        .sort(),
    ).toEqual(expected);
    expect(receiver.duplicates).toBe(BATCH); // the one batch in flight at the kill, sent again
    const { rows } = await pool.query(
      `select status, count(*)::int as n, count(distinct idempotency_key)::int as keys, max(attempts) as attempts,
         count(*) filter (where claims = 2)::int as "claimedTwice"
       from roster_${sandbox}.activation_outbox group by 1`,
    );
    // The batch in flight at the kill was claimed twice (the lost claim, then the one that landed).
    expect(rows).toEqual([{ status: 'delivered', n: PERSONS, keys: PERSONS, attempts: 1, claimedTwice: BATCH }]);
  });
});
