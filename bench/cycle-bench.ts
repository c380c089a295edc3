import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { sandboxSchema } from '../engine/runtime/sandbox-schema';
import { type AppliedSegment, readAppliedSegments } from '../engine/segment/read-applied-segments';
import { breakDownRuns, changeOnePercent, describeBreakdown } from './cycle-breakdown';
import { cycleSegmentsYaml } from './cycle-segments';
import { fillProfileTables, profileTableSizes } from './fill-profile-tables';
import { type BenchResult, rosterQuietly, timed } from './measure';
import { type CycleRun, perSegmentSummary, runCycle, secondsByShape } from './run-cycle';

/** The shapes of `cycleSegmentsYaml`, by the segment index modulo 10, as the breakdown names them. */
const SHAPE_NAMES = [
  'person attributes',
  'account firmographics',
  'opportunity roles',
  'event counts',
  'events with url',
  'account + open deals',
  'account attributes',
  'inSegment',
  'firmographics + deals + events',
  'inSegment minus notInSegment',
];

/** Cycle sizes measured by default, in segments; the largest is applied, the smaller are its first N. */
export const DEFAULT_CYCLES = [200, 1000];

/** The first `count` cycle segments, in the dependency order `readAppliedSegments` gives. */
function firstSegments(applied: readonly AppliedSegment[], count: number): AppliedSegment[] {
  return applied.filter((s) => s.name.startsWith('cycle-') && Number(s.name.slice(-4)) < count);
}

function cycleRow(run: CycleRun, work: string, target: string, pass: boolean, extra = ''): BenchResult {
  return {
    work: `${work} (${run.memberships} memberships, ${run.entered} entered, ${run.exited} exited)`,
    roster: run.seconds,
    unit: 's',
    target,
    pass,
    notes: `${perSegmentSummary(run)}; event conditions: ${run.sharedEvents.conditions} (${run.sharedEvents.columns} distinct) counted once in ${run.sharedEvents.seconds.toFixed(1)} s; by shape: ${secondsByShape(run, (i) => SHAPE_NAMES[i]!, SHAPE_NAMES.length)}${extra}`,
  };
}

/**
 * The steady-state cost of a segmentation cycle (issue 20): 1,000 generated segments of a
 * realistic mix (see `cycleSegmentsYaml`) applied to a sandbox filled like the segmentation
 * benchmark's (scale 1: 1M persons, 100k accounts, 200k opportunities, 10M events). After one
 * first run of all of them, cycles of the first 200 and of all 1,000 on unchanged data, then each
 * after a different 1% of the data changed. Every segment runs through `evaluateSegment`, in
 * dependency order, as `roster segment run --all` does. A sample of every tenth segment is broken
 * down into member-set statement, diff and bookkeeping. Target: 1,000 segments, unchanged data, < 10 min.
 */
export async function benchCycle(url: string, scale: number, cycles = DEFAULT_CYCLES): Promise<BenchResult[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-cycle-'));
  const pool = new Pool({ connectionString: url, max: 2 });
  const sandbox = `bench_cycle_${Date.now()}`;
  const s = sandboxSchema(sandbox);
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  const largest = Math.max(...cycles);
  try {
    await fs.writeFile(path.join(dir, 'segments.yaml'), cycleSegmentsYaml(largest));
    await rosterQuietly(['apply', dir, '--sandbox', sandbox, '--yes'], url, dir);
    const sizes = profileTableSizes(scale);
    const now = new Date();
    const [, fillSeconds] = await timed(() => fillProfileTables(pool, s, sizes, now));
    log(`generated ${JSON.stringify(sizes)} in ${fillSeconds.toFixed(1)} s`);
    const applied = await readAppliedSegments(pool, sandbox);
    const cycle = (count: number) => runCycle(pool, sandbox, firstSegments(applied, count), now);
    const results: BenchResult[] = [];
    const report = (run: CycleRun, work: string, target = 'report', pass = true, extra = '') => {
      const row = cycleRow(run, `${work}, ${sizes.persons} persons, ${sizes.events} events`, target, pass, extra);
      log(`${row.work}: ${run.seconds.toFixed(1)} s; ${row.notes}`);
      results.push(row);
    };

    report(await cycle(largest), `cycle of ${largest} segments, first run`);
    for (const count of cycles) {
      const run = await cycle(count);
      const extra =
        count === largest ? `; ${await whereTimeGoes(pool, s, firstSegments(applied, count), { now, run })}` : '';
      const target = count === 1000 ? '< 600 s' : 'report';
      report(run, `cycle of ${count} segments, unchanged data`, target, count !== 1000 || run.seconds < 600, extra);
    }
    for (const [k, count] of cycles.entries()) {
      const [, changeSeconds] = await timed(() => changeOnePercent(pool, s, k + 1, now));
      log(`changed 1% of the data in ${changeSeconds.toFixed(1)} s`);
      const outboxBefore = await countOutbox(pool, s);
      const run = await cycle(count);
      const outbox = (await countOutbox(pool, s)) - outboxBefore;
      report(
        run,
        `cycle of ${count} segments, 1% of the data changed`,
        'report',
        true,
        `; ${outbox} outbox rows written`,
      );
    }
    return results;
  } finally {
    await pool.query(`drop schema if exists ${s} cascade`).catch(() => undefined);
    await pool.end();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The breakdown of a sample of the cycle's runs. */
async function whereTimeGoes(
  pool: Pool,
  schema: string,
  segments: readonly AppliedSegment[],
  context: { now: Date; run: CycleRun },
): Promise<string> {
  const parts = describeBreakdown(
    await breakDownRuns(pool, schema, { cycle: segments, sample: sampleOf(segments) }, context),
  );
  process.stderr.write(`  ${parts}\n`);
  return parts;
}

/** Every eleventh segment: about 9%, every shape (the index modulo 10) equally. */
function sampleOf(segments: readonly AppliedSegment[]): AppliedSegment[] {
  return segments.filter((segment) => Number(segment.name.slice(-4)) % 11 === 0);
}

async function countOutbox(pool: Pool, schema: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from ${schema}.activation_outbox`);
  return rows[0]!.n;
}
