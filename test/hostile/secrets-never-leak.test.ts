import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAcmeData } from '../../engine/demo/acme-data/generate-acme-data';
import { startWebhookReceiver, type WebhookReceiver } from '../../engine/server/webhook-receiver';
import { recordHostile } from '../support/hostile-tally';
import { type MarketoServer, startMarketoServer } from '../support/marketo/marketo-server';
import { ROOT, type RosterResult, roster, startRosterRun } from '../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../support/test-database';

/**
 * The example project run end to end with every secret set to a value that appears nowhere else:
 * every command's output, the service's logs and a dump of every table Roster writes (the sandbox's
 * schema and pg-boss's) hold none of them. The secrets are really used on the way (the fake Marketo
 * issues a token only for its client secret, the receiver checks the webhook signature), so a clean
 * scan means they were kept out, not that they were never read.
 */
const SECRETS = {
  MARKETO_CLIENT_SECRET: 'mkto-5ecret-7f3e9b1d2c',
  SALES_WEBHOOK_SECRET: 'hook-5ecret-a84c02e6f1',
  ACME_EVENTS_TOKEN: 'events-5ecret-0b9d6e3a47',
};
const NOW = new Date('2026-11-01T00:00:00Z');

let pool: Pool;
let work: string;
let dir: string;
let env: NodeJS.ProcessEnv;
let marketo: MarketoServer;
let receiver: WebhookReceiver;
const sandbox = uniqueSandbox('secrets');
/** Everything a user or a log collector would have seen. */
const seen: string[] = [];

function run(args: string[]): RosterResult {
  const result = roster([...args], env, work);
  seen.push(`$ roster ${args.join(' ')}\n${result.stdout}\n${result.stderr}`);
  return result;
}

beforeAll(async () => {
  pool = await testPool();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-secrets-'));
  dir = path.join(work, 'acme');
  await fs.cp(path.join(ROOT, 'examples', 'acme'), dir, {
    recursive: true,
    filter: (src) => !src.startsWith(path.join(ROOT, 'examples', 'acme', 'data')),
  });
  await generateAcmeData({ outDir: path.join(dir, 'data'), now: NOW });
  marketo = await startMarketoServer({ clientSecret: SECRETS.MARKETO_CLIENT_SECRET });
  receiver = await startWebhookReceiver({ secret: SECRETS.SALES_WEBHOOK_SECRET });
  env = {
    DATABASE_URL: await testDatabaseUrl(),
    ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    ROSTER_VAR_MARKETO_ENDPOINT: marketo.url,
    ROSTER_VAR_MARKETO_CLIENT_ID: marketo.clientId,
    ROSTER_VAR_SALES_WEBHOOK_URL: `${receiver.url}roster/sales-alerts`,
    ...SECRETS,
  };
}, 120_000);

afterAll(async () => {
  await marketo?.close();
  await receiver?.close();
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
  await fs.rm(work, { recursive: true, force: true });
});

/** Posts the example's first web events to `roster run`, collects its logs, and stops it. */
async function pushThroughService(): Promise<void> {
  const { service, url } = await startRosterRun(sandbox, env, { cwd: work });
  try {
    const lines = (await fs.readFile(path.join(dir, 'data', 'events', 'web-events.ndjson'), 'utf8')).split('\n');
    const records = lines
      .filter((line) => line.trim() !== '')
      .slice(0, 50)
      .map((line) => JSON.parse(line));
    const answer = await fetch(`${url}/v1/sources/web-events/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.ACME_EVENTS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records }),
    });
    seen.push(`push answered ${answer.status}: ${await answer.text()}`);
    expect(answer.status).toBeLessThan(300);
    const wrong = await fetch(`${url}/v1/sources/web-events/batches`, {
      method: 'POST',
      headers: { authorization: 'Bearer not-the-token' },
      body: JSON.stringify({ records }),
    });
    seen.push(`wrong token answered ${wrong.status}: ${await wrong.text()}`);
  } finally {
    service.child.kill('SIGTERM');
    const { stdout, stderr } = await service.done;
    seen.push(stdout, stderr);
  }
}

/** Every row of every table in the sandbox's schema and pg-boss's, as JSON text. */
async function dumpDatabase(): Promise<string> {
  const { rows: tables } = await pool.query<{ schema: string; name: string }>(
    `select table_schema as schema, table_name as name from information_schema.tables
     where table_type = 'BASE TABLE' and (table_schema = $1 or table_schema like 'pgboss%' or table_schema like 'roster_jobs%')`,
    [`roster_${sandbox}`],
  );
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await pool.query(`select row_to_json(t)::text as row from "${table.schema}"."${table.name}" t`);
    parts.push(`-- ${table.schema}.${table.name}`, ...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe('secrets across a full run of the example', () => {
  it('appear in no output, no log line and no table, while every one of them is used', async () => {
    expect(run(['validate', dir, '--sandbox', sandbox, '--format', 'json']).code).toBe(0);
    for (const format of ['text', 'markdown', 'json']) run(['plan', dir, '--sandbox', sandbox, '--format', format]);
    expect(run(['apply', dir, '--sandbox', sandbox, '--yes', '--format', 'json']).code).toBe(0);
    run(['status', '--sandbox', sandbox, '--format', 'json']);
    for (const source of ['salesforce-crm', 'marketo'])
      expect(run(['source', 'run', source, '--sandbox', sandbox, '--format', 'json']).code).toBe(0);
    run(['source', 'errors', 'marketo', '--sandbox', sandbox]);
    expect(run(['segment', 'run', '--all', '--sandbox', sandbox, '--format', 'json']).code).toBe(0);
    await pushThroughService();
    for (const destination of ['sales-alerts', 'marketo-nurture', 'audience-exports'])
      run(['destination', 'activate', destination, '--sandbox', sandbox, '--format', 'json']);
    run(['destination', 'status', '--sandbox', sandbox, '--format', 'json']);
    run(['segment', 'sql', 'hot-leads', '--sandbox', sandbox]);

    // The secrets were used: Marketo handed out a token for its secret, the receiver took signed batches.
    expect(marketo.requests.some((r) => r.path.startsWith('/identity') && r.answered === '200')).toBe(true);
    expect(receiver.receipts.length).toBeGreaterThan(0);

    const dump = await dumpDatabase();
    // The dump holds the registry (with the secrets' references) and pg-boss's jobs.
    expect(dump).toContain('secret://MARKETO_CLIENT_SECRET');
    expect(dump).toMatch(/-- roster_jobs\.job\b/);
    const everything = [...seen, dump].join('\n');
    const leaked = Object.values(SECRETS).filter((value) => everything.includes(value));
    recordHostile({ suite: 'secrets in outputs, logs and tables', tried: 3, held: 3 - leaked.length });
    for (const [name, value] of Object.entries(SECRETS))
      expect({ name, occurrences: everything.split(value).length - 1 }).toEqual({ name, occurrences: 0 });
  }, 600_000);
});
