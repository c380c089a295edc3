import { EventEmitter } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRun } from '../../engine/cli/commands/run-command';
import { JOB_SCHEMA, jobQueue } from '../../engine/jobs/job-queues';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { captureIo } from '../support/capture-io';
import { writeConfigDir } from '../support/config-dir';
import { crmPeopleConfig } from '../support/crm-people-config';
import { everyoneWebhookConfig } from '../support/everyone-webhook-config';
import { expectGolden } from '../support/golden';
import { roster } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const sandbox = uniqueSandbox('obs');
const PEOPLE = 120;
const GOLDEN = path.join(__dirname, '..', 'golden', 'logs', 'ingest-segment-delivery.jsonl');
let pool: Pool;
let databaseUrl: string;
let receiver: WebhookReceiver;

beforeAll(async () => {
  pool = await testPool();
  databaseUrl = await testDatabaseUrl();
  receiver = await startWebhookReceiver({ secret: 'observe-secret' });
  const dir = await writeConfigDir({
    ...crmPeopleConfig(),
    ...everyoneWebhookConfig(receiver.url, 50),
  });
  await fs.mkdir(path.join(dir, 'data'));
  // 120 people and one record without its key: quarantined, under the source's 1% error ratio.
  const rows = Array.from({ length: PEOPLE }, (_, i) => `${i + 1},p${i + 1}@acme.example,Engineer`);
  await fs.writeFile(
    path.join(dir, 'data', 'people.csv'),
    `id,email,title\n${rows.join('\n')}\n,nokey@acme.example,CTO\n`,
  );
  const env = { DATABASE_URL: databaseUrl, ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1' };
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env).code).toBe(0);
});

afterAll(async () => {
  await receiver.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

/** Starts `roster run` in this process on a free port; `stop` sends it SIGTERM and returns its log lines. */
async function startRun(env: NodeJS.ProcessEnv, workers = true) {
  const io = captureIo(process.cwd(), { DATABASE_URL: databaseUrl, ...env });
  const signals = new EventEmitter();
  const exit = runRun({ sandbox, host: '127.0.0.1', port: 0, workers }, io, signals);
  const lines = () =>
    io.out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const started = await waitFor(async () => lines().find((l) => l.msg === 'roster run started'), 'the start line');
  return {
    io,
    url: String(started.url),
    lines,
    stop: async () => {
      signals.emit('SIGTERM');
      expect(await exit).toBe(0);
      return lines();
    },
  };
}

async function sendJob(queue: string, data: object, key: string): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, schema: JOB_SCHEMA });
  await boss.start();
  expect(await boss.send(queue, data, { singletonKey: key })).not.toBeNull();
  await boss.stop({ graceful: false });
}

/** `name{label="value"} 3` samples of a Prometheus text exposition, as `{ 'name{label="value"}': 3 }`. */
function samplesOf(text: string, prefix: string): Record<string, number> {
  const samples: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const at = line.lastIndexOf(' ');
    samples[line.slice(0, at)] = Number(line.slice(at + 1));
  }
  return samples;
}

/** A log line with what changes from run to run (times, ids, durations) replaced by placeholders. */
function normalise(line: Record<string, unknown>): string {
  const fixed: Record<string, unknown> = { ...line, time: '<time>', sandbox: '<sandbox>' };
  for (const key of ['runId', 'batchId', 'milliseconds', 'revision']) if (key in fixed) fixed[key] = `<${key}>`;
  return JSON.stringify(fixed);
}

describe('roster run observability', () => {
  it('is not ready while a secret is missing, logs each ingest, segment run and batch with levels, and /metrics shows what the database holds', async () => {
    const run = await startRun({ ROSTER_METRICS_OPEN: '1', ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1' });
    const notReady = await fetch(`${run.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({
      status: 'missing secrets',
      sandbox,
      missingSecrets: [{ resource: 'Destination/hook', variable: 'HOOK_SECRET' }],
      message: 'set HOOK_SECRET in the environment of roster run (Destination/hook needs HOOK_SECRET)',
    });

    await sendJob(jobQueue('source.ingest', sandbox), { sandbox, source: 'crm', trigger: 'job' }, `${sandbox}:crm`);
    await waitFor(async () => run.lines().find((l) => l.msg === 'identities stitched'), 'the ingest job');
    await sendJob(jobQueue('segment.evaluate', sandbox), { sandbox, segment: 'everyone' }, `${sandbox}:everyone`);
    // The changes wait for the secret (the delivery was skipped, with one warning).
    await waitFor(async () => {
      const { rows } = await pool.query(
        `select count(*)::int as n from roster_${sandbox}.activation_outbox where status = 'pending'`,
      );
      return rows[0].n === PEOPLE ? true : undefined;
    }, 'the changes of the segment run');
    await new Promise((resolve) => setTimeout(resolve, 2500)); // a poll of the delivery service tries again
    run.io.env.HOOK_SECRET = 'observe-secret';
    expect(await (await fetch(`${run.url}/readyz`)).json()).toEqual({ status: 'ready', sandbox });
    await waitFor(async () => {
      const { rows } = await pool.query(
        `select count(*)::int as n from roster_${sandbox}.activation_outbox where status <> 'delivered'`,
      );
      return rows[0].n === 0 && run.lines().some((l) => l.msg === 'destination delivered') ? true : undefined;
    }, 'the delivery');

    const metrics = await fetch(`${run.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    const { rows: ingest } = await pool.query(
      `select sum(records_written + records_unchanged)::int as ingested, sum(records_quarantined)::int as quarantined
         from roster_${sandbox}.ingest_runs where status = 'succeeded'`,
    );
    const { rows: members } = await pool.query(
      `select count(*)::int as n from roster_${sandbox}.segment_memberships where segment = 'everyone'`,
    );
    const { rows: outbox } = await pool.query(
      `select count(*) filter (where status in ('pending', 'sending'))::int as pending,
              count(*) filter (where status = 'dead')::int as dead
         from roster_${sandbox}.activation_outbox where destination = 'hook'`,
    );
    expect(ingest[0]).toEqual({ ingested: PEOPLE, quarantined: 1 });
    expect(members[0].n).toBe(PEOPLE);
    expect(samplesOf(text, 'roster_')).toMatchObject({
      'roster_ingested_records_total{source="crm"}': ingest[0].ingested,
      'roster_quarantined_records_total{source="crm"}': ingest[0].quarantined,
      'roster_segment_size{segment="everyone"}': members[0].n,
      'roster_segment_entries_total{segment="everyone"}': members[0].n,
      'roster_segment_exits_total{segment="everyone"}': 0,
      'roster_outbox_pending{destination="hook"}': outbox[0].pending,
      'roster_outbox_dead{destination="hook"}': outbox[0].dead,
      [`roster_job_queue_depth{queue="${jobQueue('source.ingest', sandbox)}"}`]: 0,
      'roster_run_duration_seconds_count{kind="ingest"}': 1,
      'roster_run_duration_seconds_count{kind="segment"}': 1,
      'roster_delivery_batch_duration_seconds_count{destination="hook",outcome="delivered"}': 3,
    });
    expect(Object.keys(samplesOf(text, 'roster_db_pool_connections'))).toEqual([
      'roster_db_pool_connections{state="total"}',
      'roster_db_pool_connections{state="idle"}',
      'roster_db_pool_connections{state="waiting"}',
    ]);

    const lines = await run.stop();
    expect(lines.filter((l) => l.msg === 'destination skipped').map((l) => l.level)).toEqual(['warn']);
    const events = [
      'source ingested',
      'segment evaluated',
      'destination skipped',
      'batch delivered',
      'destination delivered',
    ];
    const firsts = events.map((msg) => lines.find((l) => l.msg === msg)!);
    const batches = lines.filter((l) => l.msg === 'batch delivered');
    await expectGolden(`${[...firsts, batches[1]!].map(normalise).join('\n')}\n`, GOLDEN);
    expect(JSON.stringify(lines)).not.toContain('observe-secret');
  });

  it('writes no info line at ROSTER_LOG_LEVEL=warn, and refuses a level it does not know', async () => {
    const info = await startRun({}, false);
    await fetch(`${info.url}/no-such-route`);
    expect((await info.stop()).map((l) => l.level)).toContain('info');

    const io = captureIo(process.cwd(), { DATABASE_URL: databaseUrl, ROSTER_LOG_LEVEL: 'warn' });
    const signals = new EventEmitter();
    const exit = runRun({ sandbox, host: '127.0.0.1', port: 0, workers: false }, io, signals);
    await new Promise((resolve) => setTimeout(resolve, 500));
    signals.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(io.out.join('')).toBe('');

    await expect(
      runRun(
        { sandbox, host: '127.0.0.1', port: 0, workers: false },
        captureIo(process.cwd(), { ROSTER_LOG_LEVEL: 'loud' }),
      ),
    ).rejects.toThrow(
      'ROSTER_LOG_LEVEL=loud: not a log level; use one of trace, debug, info, warn, error, fatal, silent',
    );
  });
});
