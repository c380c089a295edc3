import { promises as fs } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxSchema } from '../../../engine/runtime/sandbox-schema';
import { compileSegment } from '../../../engine/segment/compile-segment';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import { createRosterServer } from '../../../engine/server/roster-server';
import { writeConfigDir } from '../../support/config-dir';
import { crmPeopleConfig } from '../../support/crm-people-config';
import { roster } from '../../support/run-roster';
import { siteEventsConfig } from '../../support/site-events-config';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const sandbox = uniqueSandbox('stream');
const TOKEN = 'stream-token';
let pool: Pool;
let server: Server;
let base: string;

beforeAll(async () => {
  pool = await testPool();
  const env = { DATABASE_URL: await testDatabaseUrl() };
  const dir = await writeConfigDir({
    ...crmPeopleConfig({ alsoStitched: ['site'] }),
    ...siteEventsConfig(),
    'alerts.yaml': `apiVersion: roster/v1
kind: Destination
metadata: { name: alerts }
spec:
  type: file
  file: { directory: out }
  segments: [{ segment: engaged }]
`,
  });
  await fs.mkdir(path.join(dir, 'data'));
  await fs.writeFile(
    path.join(dir, 'data', 'people.csv'),
    'id,email,title\n1,ada@acme.example,VP Engineering\n2,bob@acme.example,Analyst\n3,cy@acme.example,vp sales\n',
  );
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
  server = createRosterServer({ pool, sandbox, env: { SITE_TOKEN: TOKEN }, log: () => {} });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

async function push(records: object[]) {
  const response = await fetch(`${base}/v1/sources/site/batches`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ records }),
  });
  expect(response.status).toBe(200);
}

const opened = (email: string, minutesAgo: number) => ({
  type: 'email.opened',
  email,
  at: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
});

async function members(): Promise<string[]> {
  const { rows } = await pool.query(
    `select p.email from roster_${sandbox}.segment_memberships m join roster_${sandbox}.persons p on p.id = m.subject_id where m.segment = 'engaged' order by 1`,
  );
  return rows.map((r) => r.email);
}

describe('streaming evaluation on push', () => {
  it('changes membership for the persons an event batch touched by the time the request returns', async () => {
    await push([opened('ada@acme.example', 30)]);
    expect(await members()).toEqual([]);
    await push([opened('ada@acme.example', 10), opened('bob@acme.example', 10), opened('bob@acme.example', 5)]);
    expect(await members()).toEqual(['ada@acme.example']); // bob has no VP title
    const { rows: history } = await pool.query(
      `select h.change, r.mode from roster_${sandbox}.segment_membership_history h join roster_${sandbox}.segment_runs r using (run_id) where h.segment = 'engaged'`,
    );
    expect(history).toEqual([{ change: 'entered', mode: 'streaming' }]);
    const { rows: outbox } = await pool.query(`select destination, change from roster_${sandbox}.activation_outbox`);
    expect(outbox).toEqual([{ destination: 'alerts', change: 'entered' }]);
  });

  it('agrees with a batch evaluation of the same data at the same time, after shuffled, duplicated and late events', async () => {
    const late = [opened('cy@acme.example', 60 * 24 * 6), opened('cy@acme.example', 60 * 24 * 9)]; // one in the window, one outside
    await push([late[1]!, opened('bob@acme.example', 1)]);
    await push([late[0]!, late[0]!, late[1]!]); // duplicates are one event (content keys)
    const segment = (await readAppliedSegments(pool, sandbox)).find((s) => s.name === 'engaged')!;
    const batch = compileSegment(sandboxSchema(sandbox), 'person', segment.where, new Date());
    const { rows } = await pool.query(
      `select p.email from (${batch.text}) b join roster_${sandbox}.persons p on p.id = b.subject_id order by 1`,
      batch.params,
    );
    expect(await members()).toEqual(rows.map((r) => r.email));
    expect(await members()).toEqual(['ada@acme.example']); // cy has one open within 7 days, not two
  });
});
