import type { Socket } from 'node:net';
import { Pool, type PoolClient } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { evaluateSegmentCycle } from '../../../engine/segment/evaluate-segment-cycle';
import { readAppliedSegments } from '../../../engine/segment/read-applied-segments';
import type { Condition, CountFilter } from '../../../schemas/generated/resource-types';
import { roster } from '../../support/run-roster';
import { testDatabaseUrl } from '../../support/test-database';
import {
  memberLabels,
  type Row,
  rosterOk,
  segmentYaml,
  useSegmentWorkspace,
  writeConfig,
  writeCrmData,
} from './segment-sandbox';

/**
 * `roster segment run --all` evaluates the segments as one cycle (decision 74): the batch segments'
 * event conditions are counted in one scan of the events, and each segment reads its count there.
 * The members must be those each segment's own statement selects, "none" and "at most" included
 * (they hold for persons with no event at all); streaming segments count their own events.
 */
const workspace = useSegmentWorkspace();
let sandbox: string;
let dir: string;

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

const PERSONS: Row[] = ['ann', 'bob', 'cid', 'dee'].map((name, i) => ({
  id: `P${i + 1}`,
  email: `${name}@cycle.example`,
}));

/** Ann visited three times this month, Bob once, Cid never, Dee twice two months ago; Bob opened an email. */
const EVENTS: Row[] = [
  { id: 'E1', person: 'P1', type: 'web.visit', occurredAt: ago(1 * DAY), url: '/pricing' },
  { id: 'E2', person: 'P1', type: 'web.visit', occurredAt: ago(2 * DAY), url: '/docs' },
  { id: 'E3', person: 'P1', type: 'web.visit', occurredAt: ago(3 * DAY), url: '/pricing' },
  { id: 'E4', person: 'P2', type: 'web.visit', occurredAt: ago(4 * DAY), url: '/pricing' },
  { id: 'E5', person: 'P4', type: 'web.visit', occurredAt: ago(60 * DAY), url: '/pricing' },
  { id: 'E6', person: 'P4', type: 'web.visit', occurredAt: ago(61 * DAY), url: '/pricing' },
  { id: 'E7', person: 'P2', type: 'email.opened', occurredAt: ago(5 * DAY) },
];

const visits = (count: CountFilter): Condition => ({ events: { type: 'web.visit', within: '30d', count } });

const streamingVisitors = stringify({
  apiVersion: 'roster/v1',
  kind: 'Segment',
  metadata: { name: 'visitors-streaming' },
  spec: { subject: 'person', evaluation: 'streaming', where: { events: { type: 'web.visit', within: '30d' } } },
});

beforeAll(async () => {
  ({ sandbox, dir } = await workspace.newSandbox('segcycle'));
  const batch: Record<string, Condition> = {
    'visited-twice': visits({ gte: 2 }),
    'not-visited': visits({ eq: 0 }),
    'visited-at-most-once': visits({ lte: 1 }),
    'pricing-visitors': {
      events: { type: 'web.visit', within: '30d', where: { attribute: 'url', op: 'eq', value: '/pricing' } },
    },
    'opened-not-visited': { all: [{ events: { type: 'email.opened' } }, { not: visits({ gte: 2 }) }] },
  };
  await writeConfig(dir, {
    ...Object.fromEntries(
      Object.entries(batch).map(([name, where]) => [
        `segments/${name}.yaml`,
        segmentYaml({ name, subject: 'person', where }),
      ]),
    ),
    'segments/visitors-streaming.yaml': streamingVisitors,
  });
  await writeCrmData(dir, { persons: PERSONS, events: EVENTS });
  await workspace.applyAndLoad(dir, sandbox);
}, 120_000);

describe('roster segment run --all', () => {
  it('counts the batch segments’ event conditions once and gives each segment its own members', async () => {
    const out = JSON.parse(
      await rosterOk(['segment', 'run', '--all', '--sandbox', sandbox, '--format', 'json'], workspace.env),
    ) as { results: { segment: string; size: number }[]; sharedEventCounts: Record<string, unknown> };
    // Six conditions in the five batch segments, three distinct: visits in 30 days (four times, each
    // segment with its own count filter), pricing visits in 30 days, email opens ever.
    expect(out.sharedEventCounts).toMatchObject({ sharedConditions: 6, sharedColumns: 3 });
    expect(out.sharedEventCounts).not.toHaveProperty('sharingError');
    expect(out.results.map((r) => r.segment).sort()).toEqual([
      'not-visited',
      'opened-not-visited',
      'pricing-visitors',
      'visited-at-most-once',
      'visited-twice',
      'visitors-streaming',
    ]);
    const members = async (segment: string) => memberLabels(workspace.pool, sandbox, segment);
    expect(await members('visited-twice')).toEqual(['ann@cycle.example']);
    expect(await members('not-visited')).toEqual(['cid@cycle.example', 'dee@cycle.example']);
    expect(await members('visited-at-most-once')).toEqual([
      'bob@cycle.example',
      'cid@cycle.example',
      'dee@cycle.example',
    ]);
    expect(await members('pricing-visitors')).toEqual(['ann@cycle.example', 'bob@cycle.example']);
    expect(await members('opened-not-visited')).toEqual(['bob@cycle.example']);
    expect(await members('visitors-streaming')).toEqual(['ann@cycle.example', 'bob@cycle.example']);
  });

  it('prints one line per segment in text, as before', () => {
    const { code, stdout } = roster(['segment', 'run', '--all', '--sandbox', sandbox], workspace.env);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Segment\/not-visited \(revision 1\): 2 members, 0 entered, 0 exited \(run \d+, \d+ ms\)$/m,
    );
    expect(stdout.trim().split('\n')).toHaveLength(6);
  });

  it('goes on after its connection is lost mid-cycle: the run in flight fails, the rest run on a new one', async () => {
    const pool = new Pool({ connectionString: await testDatabaseUrl(), max: 2 });
    // As Roster's own pools do (engine/runtime/database.ts): a lost connection is an error of the
    // query it fails, not of the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const clients: PoolClient[] = [];
    const connect = pool.connect.bind(pool) as () => Promise<PoolClient>;
    Object.assign(pool, {
      connect: async () => {
        const client = await connect();
        clients.push(client);
        return client;
      },
    });
    const evaluated: string[] = [];
    const failed: string[] = [];
    try {
      await evaluateSegmentCycle(pool, sandbox, await readAppliedSegments(workspace.pool, sandbox), new Date(), {
        onResult: (result) => {
          evaluated.push(result.segment);
          // As if the server ended the session: the socket goes, with the shared counts' tables.
          if (evaluated.length === 1)
            (clients[0] as unknown as { connection: { stream: Socket } }).connection.stream.destroy();
        },
        onFailure: (_, segment) => {
          failed.push(segment.name);
          return undefined;
        },
      });
    } finally {
      await pool.end();
    }
    expect(clients).toHaveLength(2);
    expect(failed).toEqual(['opened-not-visited']);
    expect(evaluated).toEqual([
      'not-visited',
      'pricing-visitors',
      'visited-at-most-once',
      'visited-twice',
      'visitors-streaming',
    ]);
    expect(await memberLabels(workspace.pool, sandbox, 'visited-at-most-once')).toEqual([
      'bob@cycle.example',
      'cid@cycle.example',
      'dee@cycle.example',
    ]);
  });
});
