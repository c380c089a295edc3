import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { rosterAsync } from '../../support/run-roster';
import { rosterOk, segmentYaml, useSegmentWorkspace, writeConfig, writeCrmData } from '../segment/segment-sandbox';
import { evaluateAll, scoredPersons } from './delivery-kit';

/**
 * Reverse ETL through the outbox: the members of a segment kept in a table of "another" database
 * (a schema of the test database, reached through its own connection URL), and the commands that
 * deliver it and read it back.
 */
const workspace = useSegmentWorkspace();
const target = `audience_${randomBytes(4).toString('hex')}`;
let sandbox: string;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ sandbox, dir } = await workspace.newSandbox('pgt'));
  await workspace.pool.query(`create schema ${target}`);
  const destination = stringify({
    apiVersion: 'roster/v1',
    kind: 'Destination',
    metadata: { name: 'warehouse' },
    spec: {
      type: 'postgres-table',
      postgresTable: {
        url: '{{ secret("WAREHOUSE_URL") }}',
        table: `${target}.members`,
        fields: ['email', 'firstName'],
      },
      syncMode: 'mirror',
      segments: [{ segment: 'high-score' }],
    },
  });
  const high = segmentYaml({
    name: 'high-score',
    subject: 'person',
    where: { attribute: 'score', op: 'gte', value: 50 },
  });
  await writeConfig(dir, { 'segments/high.yaml': high, 'destinations/warehouse.yaml': destination });
  await writeCrmData(dir, { persons: scoredPersons([60, 70, 10]) });
  env = { ...workspace.env, WAREHOUSE_URL: workspace.env.DATABASE_URL };
  await rosterOk(['apply', dir, '--sandbox', sandbox, '--yes', '--no-evaluate'], env);
  await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
});

afterAll(async () => {
  await workspace.pool.query(`drop schema if exists ${target} cascade`);
});

async function tableRows(): Promise<{ email: string; first_name: string }[]> {
  const { rows } = await workspace.pool.query(`select email, first_name from ${target}.members order by email`);
  return rows;
}

describe('postgres-table destination', () => {
  it('creates the table and keeps it equal to the members, entry by entry and exit by exit', async () => {
    await evaluateAll(workspace, sandbox, new Date('2026-06-01T00:00:00Z'));
    expect(await rosterOk(['destination', 'activate', 'warehouse', '--sandbox', sandbox], env)).toContain(
      '2 delivered',
    );
    expect(await tableRows()).toEqual([
      { email: 'p1@x.example', first_name: 'P1' },
      { email: 'p2@x.example', first_name: 'P2' },
    ]);
    await writeCrmData(dir, { persons: scoredPersons([60, 10, 90]) });
    await rosterOk(['source', 'run', 'crm', '--sandbox', sandbox], env);
    await evaluateAll(workspace, sandbox, new Date('2026-06-02T00:00:00Z'));
    await rosterOk(['destination', 'activate', 'warehouse', '--sandbox', sandbox], env);
    expect((await tableRows()).map((r) => r.email)).toEqual(['p1@x.example', 'p3@x.example']);
  });

  it('reconcile reports drift made in the table (exit 1) and --repair removes it', async () => {
    await workspace.pool.query(`delete from ${target}.members where email = 'p1@x.example'`);
    const check = await rosterAsync(['destination', 'reconcile', 'warehouse', '--sandbox', sandbox], env).done;
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('high-score: 2 members, 1 missing at the destination, 0 unexpected\n');
    const repair = await rosterOk(['destination', 'reconcile', 'warehouse', '--sandbox', sandbox, '--repair'], env);
    expect(repair).toBe('high-score: 2 members, 1 missing at the destination, 0 unexpected (repaired)\n');
    expect((await tableRows()).map((r) => r.email)).toEqual(['p1@x.example', 'p3@x.example']);
    const status = JSON.parse(
      await rosterOk(['destination', 'status', 'warehouse', '--sandbox', sandbox, '--format', 'json'], env),
    );
    expect(status.destinations[0].mirror.drift).toEqual([
      { segment: 'high-score', expected: 2, missing: 1, unexpected: 0, repaired: true },
    ]);
  });

  it('refuses to reconcile a destination that cannot be read back', async () => {
    const other = await workspace.newSandbox('pgt2');
    await writeConfig(other.dir, {
      'segments/high.yaml': segmentYaml({
        name: 'high-score',
        subject: 'person',
        where: { attribute: 'score', op: 'gte', value: 50 },
      }),
      'destinations/files.yaml': stringify({
        apiVersion: 'roster/v1',
        kind: 'Destination',
        metadata: { name: 'files' },
        spec: { type: 'file', file: { directory: `${other.dir}/out` }, segments: [{ segment: 'high-score' }] },
      }),
    });
    await writeCrmData(other.dir, { persons: scoredPersons([60]) });
    await rosterOk(['apply', other.dir, '--sandbox', other.sandbox, '--yes', '--no-evaluate'], env);
    const { code, stderr } = await rosterAsync(['destination', 'reconcile', 'files', '--sandbox', other.sandbox], env)
      .done;
    expect(code).toBe(1);
    expect(stderr).toBe('DESTINATION_MIRROR Destination/files: file destinations cannot be read back\n');
  });
});
