import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Pool } from 'pg';
import { sandboxSchema } from '../engine/runtime/sandbox-schema';
import { evaluateSegment } from '../engine/segment/evaluate-segment';
import { readAppliedSegments } from '../engine/segment/read-applied-segments';
import { fillProfileTables, profileTableSizes } from './fill-profile-tables';
import { type BenchResult, rosterQuietly, timed } from './measure';

/** (a) The selective multi-entity segment of the issue: firmographics, an open deal with the person in a decision role, email opens. */
const SELECTIVE = `apiVersion: roster/v1
kind: Segment
metadata: { name: selective }
spec:
  subject: person
  evaluation: batch
  where:
    all:
      - account:
          all:
            - { attribute: industry, op: in, value: [Technology, Financial Services] }
            - { attribute: annualRevenue, op: gte, value: 100000000 }
      - opportunities:
          role: [Decision Maker, Economic Buyer]
          where:
            all:
              - { attribute: isClosed, op: eq, value: false }
              - { attribute: amount, op: gte, value: 100000 }
      - events: { type: email.opened, within: 30d, count: { gte: 3 } }
`;

/** (b) A broad segment: about 60% of persons (revenue is uniform over 0-999M, 5% of persons lack an email). */
const BROAD = `apiVersion: roster/v1
kind: Segment
metadata: { name: broad }
spec:
  subject: person
  evaluation: batch
  where:
    all:
      - { attribute: email, op: exists }
      - account: { attribute: annualRevenue, op: gte, value: 370000000 }
`;

/** The same results written by hand: what an engineer who knows the tables would write for each. */
const HAND_WRITTEN: Record<string, (s: string) => string> = {
  selective: (s) => `select p.id from ${s}.persons p join ${s}.accounts a on a.id = p.account_id
    where a.industry in ('Technology', 'Financial Services') and a.annual_revenue >= 100000000
      and exists (select 1 from ${s}.opportunity_roles r join ${s}.opportunities o on o.id = r.opportunity_id
                  where r.person_id = p.id and r.role in ('Decision Maker', 'Economic Buyer') and not o.is_closed and o.amount >= 100000)
      and (select count(*) from ${s}.events e where e.person_id = p.id and e.type = 'email.opened'
             and e.occurred_at > $1::timestamptz - interval '30 days' and e.occurred_at <= $1::timestamptz) >= 3`,
  broad: (s) => `select p.id from ${s}.persons p join ${s}.accounts a on a.id = p.account_id
    where p.email is not null and a.annual_revenue >= 370000000`,
};

const INDUSTRIES = ['Technology', 'Financial Services', 'Manufacturing', 'Retail', 'Healthcare', 'Energy'];
const EVENT_TYPES = ['email.opened', 'email.clicked', 'web.visit', 'form.filled'];

/** (d) 200 segments of the shapes users write: firmographic, deal-based, engagement, and mixed. */
function cycleSegments(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const industry = INDUSTRIES[i % INDUSTRIES.length]!;
    const type = EVENT_TYPES[i % EVENT_TYPES.length]!;
    const revenue = ((i * 37) % 900) * 1_000_000;
    const conditions = [
      `      - account: { attribute: industry, op: eq, value: ${industry} }`,
      `      - account: { attribute: annualRevenue, op: gte, value: ${revenue} }`,
      `      - opportunities: { where: { attribute: amount, op: gte, value: ${((i * 53) % 400) * 1000} } }`,
      `      - events: { type: ${type}, within: ${7 + (i % 60)}d, count: { gte: ${1 + (i % 3)} } }`,
    ];
    const chosen = [conditions[0]!, conditions[1 + (i % 3)]!, ...(i % 5 === 0 ? [conditions[3]!] : [])];
    docs.push(`apiVersion: roster/v1
kind: Segment
metadata: { name: cycle-${String(i).padStart(3, '0')} }
spec:
  subject: person
  evaluation: batch
  where:
    all:
${chosen.join('\n')}
`);
  }
  return docs.join('---\n');
}

/** Median of `runs` timings of `work`. */
async function medianSeconds(runs: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(work))[1]);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/**
 * Segmentation at the scale (scale 1: 100k accounts, 1M persons, 200k opportunities with
 * 400k person roles, 10M events), in one process: (a) a selective multi-entity segment and (b) a
 * broad one, each as Roster's full batch run (members, diff, history, outbox; first run and a
 * steady-state rerun) against the hand-written SQL computing the same member set; (d) 200
 * segments in one cycle. Targets: 1.5x of hand-written or better, (a) under 3 s.
 */
export async function benchSegments(url: string, scale: number): Promise<BenchResult[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-segments-'));
  const pool = new Pool({ connectionString: url, max: 4 });
  const sandbox = `bench_seg_${Date.now()}`;
  const s = sandboxSchema(sandbox);
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  try {
    await fs.writeFile(path.join(dir, 'segments.yaml'), `${SELECTIVE}---\n${BROAD}---\n${cycleSegments(200)}`);
    await rosterQuietly(['apply', dir, '--sandbox', sandbox, '--yes'], url, dir);
    const sizes = profileTableSizes(scale);
    const now = new Date();
    const [, fillSeconds] = await timed(() => fillProfileTables(pool, s, sizes, now));
    log(`generated ${JSON.stringify(sizes)} in ${fillSeconds.toFixed(1)} s`);
    const applied = await readAppliedSegments(pool, sandbox);
    const byName = (name: string) => applied.find((segment) => segment.name === name)!;

    const results: BenchResult[] = [];
    for (const [label, name] of [
      ['(a) selective multi-entity segment', 'selective'],
      ['(b) broad segment', 'broad'],
    ] as const) {
      const segment = byName(name);
      const hand = HAND_WRITTEN[name]!(s);
      const handWritten = async () => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const params = hand.includes('$1') ? [now.toISOString()] : [];
          const { rowCount } = await client.query(`create temp table hand_members on commit drop as ${hand}`, params);
          await client.query('commit');
          return rowCount ?? 0;
        } finally {
          client.release();
        }
      };
      const [expected, firstHand] = await timed(handWritten);
      const [first, firstSeconds] = await timed(() => evaluateSegment(pool, sandbox, segment, now));
      if (first.size !== expected)
        throw new Error(`${name}: Roster found ${first.size} members, hand-written ${expected}`);
      const rerun = await medianSeconds(3, () => evaluateSegment(pool, sandbox, segment, now));
      const handSeconds = Math.min(firstHand, await medianSeconds(3, handWritten));
      log(
        `${name}: ${first.size} members; first run ${firstSeconds.toFixed(2)} s, rerun ${rerun.toFixed(2)} s, hand-written ${handSeconds.toFixed(2)} s`,
      );
      results.push({
        work: `${label}, rerun (${first.size} members of ${sizes.persons})`,
        roster: rerun,
        baseline: handSeconds,
        unit: 's',
        target: name === 'selective' ? 'within 1.5x, < 3 s' : 'within 1.5x',
        pass: rerun / handSeconds <= 1.5 && (name !== 'selective' || rerun < 3),
        notes: `first run (every member entering, history written) ${firstSeconds.toFixed(2)} s`,
      });
    }

    const cycle = applied.filter((segment) => segment.name.startsWith('cycle-'));
    const [members, cycleSeconds] = await timed(async () => {
      let total = 0;
      for (const segment of cycle) total += (await evaluateSegment(pool, sandbox, segment, now)).size;
      return total;
    });
    log(`${cycle.length} segments: ${members} memberships in ${cycleSeconds.toFixed(1)} s`);
    results.push({
      work: `(d) ${cycle.length} segments in one cycle (first run)`,
      roster: cycleSeconds,
      unit: 's',
      target: 'report',
      pass: true,
      notes: `${members} memberships written`,
    });
    return results;
  } finally {
    await pool.query(`drop schema if exists ${s} cascade`).catch(() => undefined);
    await pool.end();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
