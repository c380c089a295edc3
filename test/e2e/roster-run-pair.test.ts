import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { roster, type rosterAsync, startRosterRun } from '../support/run-roster';
import { siteEventsConfig } from '../support/site-events-config';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const sandbox = uniqueSandbox('pair');
const PERSONS = 40;
let pool: Pool;
let env: NodeJS.ProcessEnv;
let receiver: WebhookReceiver;
const services: ReturnType<typeof rosterAsync>[] = [];

beforeAll(async () => {
  pool = await testPool();
  receiver = await startWebhookReceiver({ secret: 'pair-secret' });
  env = {
    DATABASE_URL: await testDatabaseUrl(),
    ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    HOOK_SECRET: 'pair-secret',
    SITE_TOKEN: 'pair-token',
  };
  const dir = await writeConfigDir({
    ...crmPeopleConfig({ alsoStitched: ['site'] }),
    ...siteEventsConfig(),
    'hook.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: hook }
spec:
  type: webhook
  webhook: { url: '${receiver.url}', secret: '{{ secret("HOOK_SECRET") }}', batchSize: 5 }
  segments: [{ segment: engaged }]
`,
  });
  await fs.mkdir(path.join(dir, 'data'));
  const rows = Array.from(
    { length: PERSONS },
    (_, i) => `${i + 1},p${i + 1}@pair.example,${i % 2 ? 'Analyst' : 'VP Sales'}`,
  );
  await fs.writeFile(path.join(dir, 'data', 'people.csv'), `id,email,title\n${rows.join('\n')}\n`);
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
});

afterAll(async () => {
  for (const service of services) service.child.kill('SIGKILL');
  await receiver.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

/** Starts `roster run` on a free port and resolves to its base URL once it logged its start. */
async function startService(): Promise<{ url: string; service: ReturnType<typeof rosterAsync> }> {
  const { service, url } = await startRosterRun(sandbox, env);
  services.push(service);
  return { url, service };
}

async function postOpen(base: string, person: number, minutesAgo: number): Promise<void> {
  const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const response = await fetch(`${base}/v1/sources/site/batches`, {
    method: 'POST',
    headers: { authorization: 'Bearer pair-token' },
    body: JSON.stringify({ records: [{ type: 'email.opened', at, email: `p${person}@pair.example` }] }),
  });
  expect(response.status).toBe(200);
}

describe('two roster run processes on one database', () => {
  it('deliver every membership change exactly once across both; SIGTERM on one mid-work loses nothing', async () => {
    const a = await startService();
    const b = await startService();
    // Every person gets two opens (VPs enter on the second); posts alternate between the processes.
    for (let person = 1; person <= PERSONS / 2; person++) {
      await postOpen(person % 2 ? a.url : b.url, person, 30);
      await postOpen(person % 2 ? b.url : a.url, person, 20);
    }
    a.service.child.kill('SIGTERM');
    for (let person = PERSONS / 2 + 1; person <= PERSONS; person++) {
      await postOpen(b.url, person, 30);
      await postOpen(b.url, person, 20);
    }
    expect((await a.service.done).code).toBe(0);
    const vps = Array.from({ length: PERSONS / 2 }, (_, i) => `p${2 * i + 1}@pair.example`).sort();
    await waitFor(
      () => (receiver.members('engaged').length === vps.length ? true : undefined),
      'every entry to reach the receiver',
    );
    expect(
      receiver
        .members('engaged')
        .map((m) => String(m.fields?.email))
        .sort(),
    ).toEqual(vps);
    expect(receiver.duplicates).toBe(0);
    const { rows } = await pool.query(
      `select (select count(*)::int from roster_${sandbox}.segment_membership_history) as history,
              (select count(*)::int from roster_${sandbox}.activation_outbox where status = 'delivered') as delivered,
              (select count(*)::int from roster_${sandbox}.activation_outbox where status <> 'delivered') as open`,
    );
    expect(rows[0]).toEqual({ history: PERSONS / 2, delivered: PERSONS / 2, open: 0 });
    b.service.child.kill('SIGTERM');
    expect((await b.service.done).code).toBe(0);
  });
});
