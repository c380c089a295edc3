import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { generateAcmeData } from '../../demo/acme-data/generate-acme-data';
import { activateDemoDestinations, type DemoDelivery } from '../../demo/activate-demo-destinations';
import { demoEnvironment } from '../../demo/demo-environment';
import { streamDemoEvents } from '../../demo/stream-demo-events';
import { runStitch } from '../../identity/run-stitch';
import { runSourceIngest } from '../../ingest/run-source-ingest';
import { evaluateSegment } from '../../segment/evaluate-segment';
import { readAppliedSegments } from '../../segment/read-applied-segments';
import { readMembers } from '../../segment/read-members';
import { sumStreamingChanges } from '../../segment/read-segment-runs';
import { type CliIo, EXIT } from '../cli-io';
import { runApply } from './apply-command';
import { openSandbox } from './open-sandbox';
import { runValidate } from './validate-command';

export interface DemoOptions {
  /** The example project (examples/acme of this checkout). */
  exampleDir: string;
}

const SANDBOX = 'demo';
/** File sources of the example; its http source is fed by posting events to it. */
const FILE_SOURCES = ['salesforce-crm', 'marketo'];

/**
 * `roster demo`, what `npm start` runs on the runtime database (DATABASE_URL, else the embedded
 * default): validates and applies examples/acme to the `demo` sandbox, generates its vendor-format
 * data when missing, ingests it, stitches identities, evaluates every segment, streams a burst of
 * web events through the http source (streaming segments react), delivers to the destinations
 * that can run here (files, a webhook receiver on loopback; Marketo only with credentials), and
 * prints what happened and what to explore. A second run finds no config changes, re-ingests
 * nothing and has nothing new to deliver.
 */
export async function runDemo(options: DemoOptions, userIo: CliIo): Promise<number> {
  const io: CliIo = { ...userIo, env: demoEnvironment(userIo.env) };
  const dir = path.relative(io.cwd, options.exampleDir) || '.';
  io.stdout(`Roster demo: the example project ${dir}, sandbox ${SANDBOX}\n\n1. Validate\n`);
  if ((await runValidate({ dir, sandbox: SANDBOX, format: 'text' }, io)) !== EXIT.ok) return EXIT.failed;
  io.stdout('\n2. Plan and apply to the runtime database\n');
  if ((await runApply({ dir, sandbox: SANDBOX, yes: true, lockTimeoutMs: 60_000, format: 'text' }, io)) !== EXIT.ok)
    return EXIT.failed;
  await ensureExampleData(options.exampleDir, io);
  const db = await openSandbox(SANDBOX, io);
  try {
    io.stdout('\n3. Ingest the example data (Salesforce and Marketo exports) and stitch identities\n');
    for (const source of FILE_SOURCES) {
      const run = await runSourceIngest(db.pool, SANDBOX, source, { trigger: 'manual', env: io.env });
      io.stdout(
        `  Source/${source}: ${run.status}, ${run.read} read, ${run.written} written, ${run.unchanged} unchanged, ${run.quarantined} quarantined\n`,
      );
      if (run.status !== 'succeeded') return EXIT.failed;
    }
    for (const result of await runStitch(db.pool, SANDBOX))
      io.stdout(`  ${result.entity}s: ${result.records} records re-examined, ${result.profiles} profiles touched\n`);
    io.stdout('\n4. Evaluate every segment\n');
    const now = new Date();
    const segments = await readAppliedSegments(db.pool, SANDBOX);
    const width = Math.max(...segments.map((s) => s.name.length));
    for (const segment of segments) {
      const result = await evaluateSegment(db.pool, SANDBOX, segment, now);
      const change = `(+${result.entered} -${result.exited})`.padEnd(14);
      io.stdout(
        `  ${segment.name.padEnd(width)}  ${String(result.size).padStart(5)} members ${change} ${segment.evaluation.mode}: ${segment.evaluation.reason}\n`,
      );
    }
    io.stdout('\n5. Stream web events through the http source (streaming segments react as they arrive)\n');
    const streamed = await streamDemoEvents({
      pool: db.pool,
      sandbox: SANDBOX,
      env: io.env,
      file: path.join(options.exampleDir, 'data', 'events', 'web-events.ndjson'),
    });
    const streamedRuns = await sumStreamingChanges(db.pool, SANDBOX, now);
    io.stdout(
      `  ${streamed.events} events in ${streamed.batches} batches: ${streamed.accepted} stored, ${streamed.quarantined} quarantined; streaming segments: +${streamedRuns.entered} -${streamedRuns.exited}\n`,
    );
    io.stdout('\n6. Deliver to destinations\n');
    const deliveries = await activateDemoDestinations(
      { pool: db.pool, sandbox: SANDBOX, env: io.env, cwd: io.cwd },
      (line) => io.stdout(`${line}\n`),
    );
    for (const delivery of deliveries) io.stdout(describeDelivery(delivery));
    // A person segment's members are labelled by their email: the first one makes a real example.
    const sample = await readMembers(db.pool, SANDBOX, 'hot-leads', { limit: 1, offset: 0 });
    printExplore(dir, sample.members[0]?.label ?? 'someone@example.com', io);
  } finally {
    await db.close();
  }
  return EXIT.ok;
}

/** The example's data, generated with a fixed seed anchored at today, unless a previous run left it. */
async function ensureExampleData(exampleDir: string, io: CliIo): Promise<void> {
  const outDir = path.join(exampleDir, 'data');
  if (await fs.stat(path.join(outDir, 'salesforce', 'Account.csv')).catch(() => undefined)) return;
  const today = new Date(new Date().toISOString().slice(0, 10));
  const summary = await generateAcmeData({ outDir, now: today });
  io.stdout(
    `\nGenerated the example data in ${path.relative(io.cwd, outDir) || outDir} (${summary.files.length} files, seed 42, anchored at ${today.toISOString().slice(0, 10)}).\n`,
  );
}

function describeDelivery(delivery: DemoDelivery): string {
  const r = delivery.result;
  const head = `  Destination/${delivery.destination} (${delivery.type}): `;
  if (r.status === 'skipped') return `${head}skipped, ${delivery.where}\n`;
  if (r.status !== 'drained') return `${head}${r.status}${r.reason ? ` (${r.reason})` : ''}\n`;
  const sent = r.delivered + r.unmatched === 0 ? 'nothing new to deliver' : `${r.delivered} changes delivered`;
  const failed = r.retrying + r.dead > 0 ? `, ${r.retrying} to retry, ${r.dead} dead-lettered` : '';
  return `${head}${sent}${failed}; ${delivery.where}\n`;
}

function printExplore(dir: string, email: string, io: CliIo): void {
  const explore: [string, string][] = [
    [`npx roster segment members hot-leads --sandbox ${SANDBOX}`, 'who is in a segment (also --format csv|json)'],
    [`npx roster segment sql buying-committee --sandbox ${SANDBOX}`, 'the SQL a segment compiles to'],
    [`npx roster profile get --sandbox ${SANDBOX} --email ${email}`, 'one unified person, from every source'],
    [`npx roster destination status --sandbox ${SANDBOX}`, 'what each destination received, is retrying or refused'],
    [`npx roster status --sandbox ${SANDBOX}`, 'what is applied, revision by revision'],
    [`npx roster plan ${dir} --sandbox ${SANDBOX} --format markdown`, 'the plan as a pull-request comment'],
  ];
  const width = Math.max(...explore.map(([command]) => command.length));
  io.stdout(
    ['', 'Explore:', ...explore.map(([command, what]) => `  ${command.padEnd(width)}  ${what}`), ''].join('\n'),
  );
}
