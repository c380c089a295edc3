/**
 * `npm run bench`: runs every benchmark and prints one table (work, Roster, baseline, ratio,
 * target, result); writes the results as JSON under bench/results/. Benchmarks measure; tests
 * never assert timings.
 *
 * Options: --scale X (data sizes; default 1, sized for a 2-core machine), --only NAME, --segments
 * N,M (the cycle sizes of `cycle`; default 200,1000).
 * The database is DATABASE_URL, else the embedded default.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startEmbeddedDatabase } from '../engine/runtime/embedded-database';
import { benchActivation } from './activation-bench';
import { benchConsole } from './console-bench';
import { benchCycle, DEFAULT_CYCLES } from './cycle-bench';
import { generateProject, THOUSAND_RESOURCES } from './generate-project';
import { benchIngest } from './ingest-bench';
import { type BenchResult, medianWallSeconds } from './measure';
import { benchSegments } from './segment-bench';
import { benchStartup } from './startup-bench';
import { benchStitch } from './stitch-bench';
import { benchStreaming } from './streaming-bench';

const ROOT = path.join(__dirname, '..');

/** `roster validate` on 1,000 resources, as a user runs it (process start included). Target: < 2 s. */
async function benchValidate(): Promise<BenchResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-validate-'));
  try {
    const count = await generateProject(dir, THOUSAND_RESOURCES);
    const args = [path.join(ROOT, 'bin', 'roster.js'), 'validate', dir, '--format', 'json'];
    medianWallSeconds(process.execPath, args, 1, { cwd: ROOT }); // warm the transpile cache
    const seconds = medianWallSeconds(process.execPath, args, 5, { cwd: ROOT });
    return {
      work: `roster validate, ${count} resources`,
      roster: seconds,
      unit: 's',
      target: '< 2 s',
      pass: seconds < 2,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/**
 * `roster plan` and `roster apply` of 1,000 resources into an empty sandbox, then `plan` with no
 * changes, each as a user runs it. Targets: < 3 s, < 20 s, < 3 s.
 */
async function benchPlanApply(): Promise<BenchResult[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-apply-'));
  const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env)) };
  const sandbox = `bench_${Date.now()}`;
  try {
    const count = await generateProject(dir, THOUSAND_RESOURCES);
    const bin = path.join(ROOT, 'bin', 'roster.js');
    const run = (args: string[], expectExit = 0) =>
      medianWallSeconds(process.execPath, [bin, ...args], 1, { cwd: ROOT, env, expectExit });
    const planEmpty = run(['plan', dir, '--sandbox', sandbox, '--detailed-exitcode'], 2);
    const apply = run(['apply', dir, '--sandbox', sandbox, '--yes']);
    const planSame = run(['plan', dir, '--sandbox', sandbox, '--detailed-exitcode']);
    return [
      {
        work: `roster plan, ${count} resources, empty sandbox`,
        roster: planEmpty,
        unit: 's',
        target: '< 3 s',
        pass: planEmpty < 3,
      },
      {
        work: `roster apply, ${count} resources, empty sandbox`,
        roster: apply,
        unit: 's',
        target: '< 20 s',
        pass: apply < 20,
      },
      {
        work: `roster plan, ${count} resources, no changes`,
        roster: planSame,
        unit: 's',
        target: '< 3 s',
        pass: planSame < 3,
      },
    ];
  } finally {
    {
      const { Pool } = await import('pg');
      const pool = new Pool({ connectionString: env.DATABASE_URL });
      await pool.query(`drop schema if exists roster_${sandbox} cascade`).catch(() => undefined);
      await pool.end();
    }
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The data size multiplier (`--scale`); 1 is sized for this 2-core machine class. */
const SCALE = process.argv.includes('--scale') ? Number(process.argv[process.argv.indexOf('--scale') + 1]) : 1;

async function benchIngestion(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env));
  return benchIngest(url, Math.round(1_000_000 * SCALE));
}

/**
 * Segmentation at 0.1x and 1x the data, then how each timing grew with the data (10x more rows:
 * a growth near 10x is linear, below it the fixed costs dominate at the small scale).
 */
async function benchSegmentation(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env));
  const small = await benchSegments(url, SCALE * 0.1);
  const large = await benchSegments(url, SCALE);
  const growth = large.flatMap((big): BenchResult[] => {
    const key = big.work.slice(0, 3); // "(a)", "(b)", "(d)"
    const little = small.find((r) => r.work.startsWith(key));
    if (!little) return [];
    return [
      {
        work: `${key} time growth, 10x more data (${format(little.roster)} s at ${SCALE * 0.1}x -> ${format(big.roster)} s at ${SCALE}x)`,
        roster: big.roster / little.roster,
        unit: 'x',
        target: 'report (10x = linear)',
        pass: true,
      },
    ];
  });
  return [...small.map((r) => ({ ...r, work: `${r.work} [scale ${SCALE * 0.1}]` })), ...large, ...growth];
}

/**
 * Identity stitching of a generated company at 0.1x and 1x (100,000 and 1,000,000 persons at scale
 * 1), then how the full stitch's time grew with the data (10x more records; target at most 12x).
 */
async function benchStitching(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env));
  const small = await benchStitch(url, Math.round(100_000 * SCALE));
  const large = await benchStitch(url, Math.round(1_000_000 * SCALE));
  const growth = (i: number, what: string): BenchResult => ({
    work: `stitch ${what} time growth, 10x more data (${format(small[i]!.roster)} s -> ${format(large[i]!.roster)} s)`,
    roster: large[i]!.roster / small[i]!.roster,
    unit: 'x',
    target: '<= 12x',
    pass: large[i]!.roster / small[i]!.roster <= 12,
  });
  return [...small, ...large, growth(0, 'full'), growth(1, 'incremental')];
}

/** 1,000 events/s for 60 s (at scale 1) through the HTTP source, in batches every 50 ms. */
async function benchStreamingLatency(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env));
  return benchStreaming(url, {
    persons: Math.round(10_000 * SCALE),
    eventsPerSecond: 1000,
    seconds: Math.max(5, Math.round(60 * SCALE)),
    intervalMs: 50,
  });
}

/** 100,000 members to a webhook and to Marketo (100 calls / 20 s), and 200 signups/s for 30 s streamed to a webhook. */
async function benchActivationDelivery(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env));
  return benchActivation(url, SCALE);
}

/**
 * The cost of a cycle of 200 and 1,000 segments (`--segments 200,1000`), first run, unchanged and
 * 1%-changed data (issue 20).
 */
async function benchSegmentCycle(): Promise<BenchResult[]> {
  const url = process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env));
  const at = process.argv.indexOf('--segments');
  const cycles = at < 0 ? DEFAULT_CYCLES : process.argv[at + 1]!.split(',').map(Number);
  return benchCycle(url, SCALE, cycles);
}

/** The web console's pages on the example project (issue 17: each under 300 ms). */
async function benchConsolePages(): Promise<BenchResult[]> {
  return benchConsole(process.env.DATABASE_URL || (await startEmbeddedDatabase(process.env)));
}

const BENCHMARKS: Record<string, () => Promise<BenchResult | BenchResult[]>> = {
  startup: benchStartup,
  validate: benchValidate,
  'plan-apply': benchPlanApply,
  ingest: benchIngestion,
  stitch: benchStitching,
  segments: benchSegmentation,
  streaming: benchStreamingLatency,
  activation: benchActivationDelivery,
  cycle: benchSegmentCycle,
  console: benchConsolePages,
};

function renderTable(results: readonly BenchResult[]): string {
  const header = ['work', 'Roster', 'baseline', 'ratio', 'target', 'result'];
  const rows = results.map((r) => [
    r.work,
    `${format(r.roster)} ${r.unit}`,
    r.baseline === undefined ? '-' : `${format(r.baseline)} ${r.unit}`,
    r.baseline === undefined ? '-' : `${format(speedRatio(r))}x`,
    r.target,
    r.pass ? 'pass' : 'falls short',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Roster's speed relative to the baseline (above 1: faster), whether the figures are rates or durations. */
function speedRatio(r: BenchResult): number {
  const isDuration = r.unit === 's' || r.unit === 'ms';
  return isDuration ? r.baseline! / r.roster : r.roster / r.baseline!;
}

function format(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3);
}

async function main(): Promise<void> {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && !(only in BENCHMARKS)) {
    console.error(`unknown benchmark "${only}"; choose one of: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  if (!Number.isFinite(SCALE) || SCALE <= 0) {
    console.error('--scale takes a positive number, e.g. 0.1');
    process.exitCode = 2;
    return;
  }
  const names = Object.keys(BENCHMARKS).filter((name) => only === undefined || name === only);
  const results: BenchResult[] = [];
  for (const name of names) {
    process.stderr.write(`running ${name}...\n`);
    results.push(...[await BENCHMARKS[name]!()].flat());
  }
  const table = renderTable(results);
  console.log(table);
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
  };
  const file = path.join(ROOT, 'bench', 'results', `${new Date().toISOString().slice(0, 10)}.json`);
  // A partial run (--only) updates its rows in the day's file instead of replacing the others.
  // Notes written into the file by hand (how the day's runs went) are kept.
  const previous = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{"results":[]}')) as {
    results: BenchResult[];
    notes?: string;
  };
  // Rows are matched by their work without a trailing "(figures)": a growth row names its timings.
  const key = (work: string) => work.replace(/\s*\([^()]*\)$/, '');
  const merged = [...previous.results.filter((old) => !results.some((r) => key(r.work) === key(old.work))), ...results];
  const notes = previous.notes === undefined ? {} : { notes: previous.notes };
  await fs.writeFile(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine, scale: SCALE, results: merged, ...notes }, null, 2)}\n`,
  );
  console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
}

void main();
