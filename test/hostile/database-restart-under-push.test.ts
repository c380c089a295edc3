import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, stopEmbeddedDatabase } from '../../engine/runtime/embedded-database';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { recordHostile } from '../support/hostile-tally';
import { roster, startRosterRun } from '../support/run-roster';
import { waitFor } from '../support/wait-for';

/**
 * PostgreSQL restarted while `roster run` takes pushed batches without pause: batches sent while
 * the server is down are refused (not acknowledged), the service keeps running and takes batches
 * again once the server is back, and every acknowledged record is stored exactly once. Uses its own
 * embedded server under /tmp, so restarting it disturbs no other test.
 */
const home = path.join(os.tmpdir(), `roster-push-restart-${process.pid}`);
const embeddedEnv = { ROSTER_HOME: home };
const sandbox = 'pushrestart';
const BATCH = 20;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeAll(async () => {
  env = { DATABASE_URL: await startEmbeddedDatabase(embeddedEnv), SITE_TOKEN: 'restart-token' };
  dir = await writeConfigDir({
    ...crmPeopleConfig({ alsoStitched: ['site'] }),
    'site.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: site }
spec:
  type: http
  http: { token: '{{ secret("SITE_TOKEN") }}' }
  objects:
    - { name: events, entity: event, fields: { type: type, occurredAt: at, url: url }, identities: { email: email } }
`,
  });
  await fs.mkdir(path.join(dir, 'data'));
  await fs.writeFile(path.join(dir, 'data', 'people.csv'), 'id,email,title\n1,ann@restart.example,CTO\n');
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
  expect(roster(['source', 'run', 'crm', '--sandbox', sandbox], env).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await stopEmbeddedDatabase(embeddedEnv);
  await fs.rm(home, { recursive: true, force: true });
  await fs.rm(dir, { recursive: true, force: true });
});

/** Pushes numbered batches until `stop()`; remembers the urls of every record of an acknowledged batch. */
function pushWithoutPause(base: string) {
  const acknowledged: string[] = [];
  const refused: number[] = [];
  let running = true;
  let batch = 0;
  const loop = (async () => {
    while (running && batch < 5_000) {
      const n = batch++;
      const records = Array.from({ length: BATCH }, (_, i) => ({
        type: 'page.viewed',
        at: new Date(Date.UTC(2026, 10, 1) + n * BATCH + i).toISOString(),
        email: 'ann@restart.example',
        url: `https://restart.example/b${n}/r${i}`,
      }));
      const answer = await fetch(`${base}/v1/sources/site/batches`, {
        method: 'POST',
        headers: { authorization: 'Bearer restart-token', 'content-type': 'application/json' },
        body: JSON.stringify({ records }),
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      if (answer?.status === 200) acknowledged.push(...records.map((r) => r.url));
      else {
        refused.push(answer?.status ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await answer?.text();
    }
  })();
  return {
    acknowledged,
    refused,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('a PostgreSQL restart under push load', () => {
  it('loses no acknowledged record, stores none twice, and the service takes batches again', async () => {
    const { service, url } = await startRosterRun(sandbox, env);
    try {
      const pusher = pushWithoutPause(url);
      await waitFor(() => (pusher.acknowledged.length >= 20 * BATCH ? true : undefined), 'batches before', 120_000);
      await stopEmbeddedDatabase(embeddedEnv);
      await waitFor(() => (pusher.refused.length >= 3 ? true : undefined), 'refusals while down', 60_000);
      expect(await startEmbeddedDatabase(embeddedEnv)).toBe(env.DATABASE_URL);
      const before = pusher.acknowledged.length;
      await waitFor(
        () => (pusher.acknowledged.length >= before + 20 * BATCH ? true : undefined),
        'batches acknowledged after the restart',
        120_000,
      );
      await pusher.stop();
      expect(service.child.exitCode).toBeNull(); // still running

      const pool = new Pool({ connectionString: env.DATABASE_URL });
      const { rows } = await pool.query<{ url: string; n: number }>(
        `select url, count(*)::int as n from roster_${sandbox}.events group by url`,
      );
      await pool.end();
      const stored = new Map(rows.map((r) => [r.url, r.n]));
      const lost = pusher.acknowledged.filter((url) => !stored.has(url));
      const twice = rows.filter((r) => r.n > 1);
      recordHostile({
        suite: 'PostgreSQL restart under push load',
        tried: 1,
        held: lost.length + twice.length === 0 ? 1 : 0,
        lost: lost.length,
        duplicated: twice.length,
      });
      expect({ lost: lost.length, twice: twice.length }).toEqual({ lost: 0, twice: 0 });
      expect(pusher.acknowledged.length).toBeGreaterThanOrEqual(40 * BATCH);
    } finally {
      service.child.kill('SIGTERM');
      await service.done;
    }
  }, 600_000);
});
