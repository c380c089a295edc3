import type { PoolClient } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSourceIngest } from '../../../engine/ingest/run-source-ingest';
import { afterIngest } from '../../../engine/jobs/after-ingest';
import { evaluateSegment, type SegmentRunResult } from '../../../engine/segment/evaluate-segment';
import { readAppliedSegment } from '../../../engine/segment/read-applied-segment';
import { memberLabels, rosterOk, segmentYaml, useSegmentWorkspace, writeConfig, writeCrmData } from './segment-sandbox';

/**
 * The steps of the pipeline take a Queryable and join the caller's transaction (decision 59):
 * ingestion, stitching (two entities, each with its temporary tables) and a segment run on one
 * client, undone or kept together by the caller.
 */
const workspace = useSegmentWorkspace();
const SEGMENT = 'high-score';
let sandbox: string;

beforeAll(async () => {
  let dir: string;
  ({ sandbox, dir } = await workspace.newSandbox('segtx'));
  await writeConfig(dir, {
    [`segments/${SEGMENT}.yaml`]: segmentYaml({
      name: SEGMENT,
      subject: 'person',
      where: { attribute: 'score', op: 'gte', value: 50 },
    }),
  });
  await writeCrmData(dir, {
    persons: [
      { id: 'P1', email: 'p1@x.example', score: 80 },
      { id: 'P2', email: 'p2@x.example', score: 60 },
      { id: 'P3', email: 'p3@x.example', score: 20 },
    ],
  });
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], workspace.env);
});

/** Ingests the crm source, stitches, streams and evaluates the segment, all on `client`. */
async function loadAndEvaluate(client: PoolClient): Promise<SegmentRunResult> {
  const ingested = await runSourceIngest(client, sandbox, 'crm', { trigger: 'manual', env: {} });
  expect(ingested.status).toBe('succeeded');
  await afterIngest(client, sandbox, ingested);
  const segment = await readAppliedSegment(client, sandbox, SEGMENT);
  return evaluateSegment(client, sandbox, segment!, new Date());
}

/** What is committed, read on the test's own connections. */
async function committed() {
  const s = `roster_${sandbox}`;
  const count = async (table: string) =>
    (await workspace.pool.query<{ n: number }>(`select count(*)::int as n from ${s}.${table}`)).rows[0]!.n;
  return {
    ingestRuns: await count('ingest_runs'),
    persons: await count('persons'),
    segmentRuns: await count('segment_runs'),
    members: (await memberLabels(workspace.pool, sandbox, SEGMENT)).sort(),
  };
}

async function inCallerTransaction<T>(end: 'commit' | 'rollback', work: (client: PoolClient) => Promise<T>) {
  const client = await workspace.pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query(end);
    return result;
  } finally {
    client.release();
  }
}

describe("ingestion, stitching and evaluation in the caller's transaction", () => {
  it("are undone together by the caller's rollback", async () => {
    const run = await inCallerTransaction('rollback', loadAndEvaluate);
    expect(run.entered).toBe(2);
    expect(await committed()).toEqual({ ingestRuns: 0, persons: 0, segmentRuns: 0, members: [] });
  });

  it("are kept together by the caller's commit", async () => {
    const run = await inCallerTransaction('commit', loadAndEvaluate);
    expect(run.entered).toBe(2);
    expect(await committed()).toEqual({
      ingestRuns: 1,
      persons: 3,
      segmentRuns: 1,
      members: ['p1@x.example', 'p2@x.example'],
    });
  });
});
