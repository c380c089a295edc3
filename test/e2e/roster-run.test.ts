import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_SCHEMA, jobQueue } from '../../engine/jobs/job-queues';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { roster, rosterAsync } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const sandbox = uniqueSandbox('run');
let pool: Pool;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pool = await testPool();
  env = { DATABASE_URL: await testDatabaseUrl() };
  const dir = await writeConfigDir({
    ...crmPeopleConfig({ schedule: '*/5 * * * *' }),
    'everyone.yaml': `apiVersion: roster/v1
kind: Segment
metadata: { name: everyone }
spec:
  subject: person
  evaluation: batch
  where: { attribute: email, op: exists }
`,
  });
  await fs.mkdir(path.join(dir, 'data'));
  await fs.writeFile(path.join(dir, 'data', 'people.csv'), 'id,email\n1,ada@acme.example\n2,grace@acme.example\n');
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
});

afterAll(async () => {
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

describe('roster run', () => {
  it('serves health, works source.ingest (then stitching) and segment.evaluate jobs, logs JSON, and stops cleanly on SIGTERM', async () => {
    const service = rosterAsync(['run', '--sandbox', sandbox, '--port', '0'], env);
    const started = await waitFor(
      async () =>
        service
          .output()
          .stdout.split('\n')
          .map((l) => (l.startsWith('{') ? JSON.parse(l) : {}))
          .find((l) => l.msg === 'roster run started'),
      'the start log line',
    );
    expect(started).toMatchObject({ level: 'info', sandbox, workers: true });
    expect(await (await fetch(`${started.url}/healthz`)).json()).toEqual({ status: 'ok' });

    const boss = new PgBoss({ connectionString: env.DATABASE_URL, schema: JOB_SCHEMA });
    await boss.start();
    expect(
      await boss.send(
        jobQueue('source.ingest', sandbox),
        { sandbox, source: 'crm', trigger: 'job' },
        { singletonKey: `${sandbox}:crm` },
      ),
    ).not.toBeNull();
    await boss.stop({ graceful: false });

    const persons = await waitFor(async () => {
      const { rows } = await pool
        .query(`select count(*)::int as n from roster_${sandbox}.persons`)
        .catch(() => ({ rows: [{ n: 0 }] }));
      return rows[0].n === 2 ? rows[0].n : undefined;
    }, 'the ingest and stitch jobs');
    expect(persons).toBe(2);
    const queue = new PgBoss({ connectionString: env.DATABASE_URL, schema: JOB_SCHEMA });
    await queue.start();
    expect(
      await queue.send(
        jobQueue('segment.evaluate', sandbox),
        { sandbox, segment: 'everyone' },
        { singletonKey: `${sandbox}:everyone` },
      ),
    ).not.toBeNull();
    await queue.stop({ graceful: false });
    const evaluated = await waitFor(async () => {
      const { rows } = await pool.query(
        `select mode, status, size::int from roster_${sandbox}.segment_runs where segment = 'everyone'`,
      );
      return rows.length > 0 ? rows : undefined;
    }, 'the segment.evaluate job');
    expect(evaluated).toEqual([{ mode: 'batch', status: 'succeeded', size: 2 }]);
    const { rows: runs } = await pool.query(
      `select trigger, status, records_written from roster_${sandbox}.ingest_runs`,
    );
    expect(runs).toEqual([{ trigger: 'job', status: 'succeeded', records_written: '2' }]);

    service.child.kill('SIGTERM');
    const result = await service.done;
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'source ingested',
        'identities stitched',
        'segment evaluated',
        'stopping',
        'roster run stopped',
      ]),
    );
  });
});
