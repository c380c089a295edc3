import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ActivationChange,
  ActivationMember,
  DeliveryBatch,
  DeliveryContext,
  DeliveryError,
  DestinationConnector,
} from '../../../engine/activation/connector';
import { createPostgresTableConnector } from '../../../engine/activation/connectors/postgres-table-connector';
import { MissingSecretError } from '../../../engine/config/resolve-secret';
import { testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

/** The target "other database" is a schema of the test database, dropped after the file. */
const schema = uniqueSandbox('pgdest');
const writer = `${schema}_writer`;
let pool: Pool;
let url: string;
const opened: DestinationConnector[] = [];

beforeAll(async () => {
  pool = await testPool();
  url = await testDatabaseUrl();
  await pool.query(`create schema ${schema}`);
});

afterAll(async () => {
  await Promise.all(opened.map((connector) => connector.close()));
  await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.query(`drop role if exists ${writer}`);
  await pool.end();
});

/** A postgres-table destination writing `<schema>.<table>`, its URL read from the secret TARGET_URL. */
function tableDestination(table: string, fields: string[], targetUrl = url): DestinationConnector {
  const connector = createPostgresTableConnector(
    {
      sandbox: 'test',
      name: 'warehouse',
      spec: {
        type: 'postgres-table',
        postgresTable: { url: 'secret://TARGET_URL', table: `${schema}.${table}`, fields },
        segments: [{ segment: 'hot-leads' }],
      },
    },
    { env: { TARGET_URL: targetUrl }, cwd: process.cwd(), log: () => {} },
  );
  opened.push(connector);
  return connector;
}

const context: DeliveryContext = {
  currentMembers: async function* () {},
  signal: new AbortController().signal,
  log: () => {},
};

function batch(batchId: string, changes: ActivationChange[]): DeliveryBatch {
  return { destination: 'warehouse', segment: 'hot-leads', binding: { segment: 'hot-leads' }, batchId, changes };
}

const person = (id: number, email: string | null = `p${id}@acme.example`): ActivationMember => ({
  personId: id,
  fields: { email, 'account.name': 'Acme' },
});

function change(
  changed: 'entered' | 'exited',
  subject: { type: 'person' | 'account'; id: number },
  members: ActivationMember[],
): ActivationChange {
  return {
    outboxId: subject.id,
    idempotencyKey: `warehouse:${subject.id}`,
    change: changed,
    subjectType: subject.type,
    subjectId: subject.id,
    changedAt: '2026-03-01T10:00:00.000Z',
    members,
  };
}
const entered = (id: number) => change('entered', { type: 'person', id }, [person(id)]);
const exited = (id: number) => change('exited', { type: 'person', id }, [person(id)]);

async function rowsOf(table: string, columns = 'person_id::int as id, subject_type, subject_id::int, email') {
  const { rows } = await pool.query(`select ${columns} from ${schema}.${table} order by segment, person_id`);
  return rows;
}

describe('a postgres-table destination', () => {
  it('creates the table with the key columns and one text column per field', async () => {
    const connector = tableDestination('created', ['email', 'account.name', 'jobTitle', 'updatedAt']);
    await connector.deliver(batch('b-1', [entered(1)]), context);
    const { rows } = await pool.query(
      `select column_name, data_type, is_nullable from information_schema.columns
        where table_schema = $1 and table_name = 'created' order by ordinal_position`,
      [schema],
    );
    expect(rows.map((r) => [r.column_name, r.data_type])).toEqual([
      ['segment', 'text'],
      ['person_id', 'bigint'],
      ['subject_type', 'text'],
      ['subject_id', 'bigint'],
      ['email', 'text'],
      ['account_name', 'text'],
      ['job_title', 'text'],
      // A field whose column would be Roster's own `updated_at` is prefixed with its entity.
      ['person_updated_at', 'text'],
      ['updated_at', 'timestamp with time zone'],
    ]);
    const { rows: key } = await pool.query(
      `select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = $1::regclass and i.indisprimary order by a.attname`,
      [`${schema}.created`],
    );
    expect(key.map((r) => r.attname)).toEqual(['person_id', 'segment']);
  });

  it('inserts entered members with their fields and deletes exited ones', async () => {
    const connector = tableDestination('persons', ['email', 'account.name']);
    await connector.deliver(batch('b-1', [entered(1), entered(2), entered(3)]), context);
    await connector.deliver(
      batch('b-2', [exited(2), change('entered', { type: 'person', id: 3 }, [person(3, 'new3@acme.example')])]),
      context,
    );
    expect(await rowsOf('persons', 'segment, person_id::int as id, email, account_name')).toEqual([
      { segment: 'hot-leads', id: 1, email: 'p1@acme.example', account_name: 'Acme' },
      { segment: 'hot-leads', id: 3, email: 'new3@acme.example', account_name: 'Acme' },
    ]);
  });

  it('writes one row per member of an account, and removes them all when the account exits', async () => {
    const connector = tableDestination('accounts', ['email']);
    const globex = { type: 'account' as const, id: 100 };
    const initech = { type: 'account' as const, id: 200 };
    await connector.deliver(
      batch('b-1', [change('entered', globex, [person(11), person(12)]), change('entered', initech, [person(21)])]),
      context,
    );
    expect(await rowsOf('accounts')).toEqual([
      { id: 11, subject_type: 'account', subject_id: 100, email: 'p11@acme.example' },
      { id: 12, subject_type: 'account', subject_id: 100, email: 'p12@acme.example' },
      { id: 21, subject_type: 'account', subject_id: 200, email: 'p21@acme.example' },
    ]);
    // An exit lists the members it activates now; the rows the account wrote go, whoever they are.
    await connector.deliver(batch('b-2', [change('exited', globex, [person(11)])]), context);
    expect(await rowsOf('accounts')).toEqual([
      { id: 21, subject_type: 'account', subject_id: 200, email: 'p21@acme.example' },
    ]);
  });

  it('leaves the same rows when a batch is delivered again', async () => {
    const connector = tableDestination('replayed', ['email']);
    const first = batch('b-1', [entered(1), entered(2), exited(3)]);
    await connector.deliver(first, context);
    const before = await rowsOf('replayed', '*');
    await connector.deliver(first, context);
    expect(await rowsOf('replayed', '*')).toEqual(before);
    expect(before).toHaveLength(2);
  });

  it('adds the column of a new field to an existing table', async () => {
    await pool.query(
      `create table ${schema}.existing (segment text, person_id bigint, subject_type text, subject_id bigint,
         email text, updated_at timestamptz default now(), primary key (segment, person_id))`,
    );
    const connector = tableDestination('existing', ['email', 'account.name']);
    await connector.deliver(batch('b-1', [entered(5)]), context);
    expect(await rowsOf('existing', 'person_id::int as id, email, account_name')).toEqual([
      { id: 5, email: 'p5@acme.example', account_name: 'Acme' },
    ]);
  });

  it('refuses a table whose key columns differ, saying what it expects', async () => {
    await pool.query(`create table ${schema}.foreign_layout (id serial primary key, email text)`);
    const connector = tableDestination('foreign_layout', ['email']);
    const error = (await connector.deliver(batch('b-1', [entered(1)]), context).catch((e) => e)) as DeliveryError;
    expect(error).toMatchObject({ name: 'DeliveryError', retryable: false });
    expect(error.message).toContain(`Destination/warehouse (table ${schema}.foreign_layout)`);
    expect(error.message).toContain('column person_id is missing');
    expect(error.message).toContain('the primary key is (id), not (segment, person_id)');
    expect(error.message).toContain('expected segment text, person_id bigint');
  });

  it('reports the drift of a mirror check, and repairs it when asked', async () => {
    const connector = tableDestination('mirrored', ['email']);
    await connector.deliver(batch('b-1', [entered(1), entered(2), entered(3)]), context);
    const expected = [person(2), person(3), person(4)];
    const drift = await connector.mirror!({ segment: 'hot-leads' }, expected, { repair: false }, context);
    expect(drift).toEqual({ missing: [person(4)], unexpected: ['1'] });
    expect((await rowsOf('mirrored')).map((r) => r.id)).toEqual([1, 2, 3]);
    await connector.mirror!({ segment: 'hot-leads' }, expected, { repair: true }, context);
    expect(await rowsOf('mirrored')).toEqual([
      { id: 2, subject_type: 'person', subject_id: 2, email: 'p2@acme.example' },
      { id: 3, subject_type: 'person', subject_id: 3, email: 'p3@acme.example' },
      { id: 4, subject_type: 'person', subject_id: 4, email: 'p4@acme.example' },
    ]);
    expect(await connector.mirror!({ segment: 'hot-leads' }, expected, { repair: false }, context)).toEqual({
      missing: [],
      unexpected: [],
    });
  });

  it('throws MissingSecretError from the factory when the URL secret is not set', () => {
    expect(() =>
      createPostgresTableConnector(
        {
          sandbox: 'test',
          name: 'warehouse',
          spec: {
            type: 'postgres-table',
            postgresTable: { url: 'secret://TARGET_URL', table: 'audience' },
            segments: [{ segment: 'hot-leads' }],
          },
        },
        { env: {}, cwd: process.cwd(), log: () => {} },
      ),
    ).toThrow(MissingSecretError);
  });
});

describe('postgres-table failures never show the URL', () => {
  it('retries an unreachable database, naming the destination and the table only', async () => {
    const unreachable = 'postgres://roster:s3cret-Passw0rd@127.0.0.1:1/warehouse';
    const connector = tableDestination('audience', ['email'], unreachable);
    const error = (await connector.deliver(batch('b-1', [entered(1)]), context).catch((e) => e)) as DeliveryError;
    expect(error).toMatchObject({ name: 'DeliveryError', retryable: true });
    expect(error.message).toContain(`Destination/warehouse (table ${schema}.audience)`);
    expect(error.message).not.toContain(unreachable);
    expect(error.message).not.toContain('s3cret-Passw0rd');
    expect(String(error.cause)).not.toContain('s3cret-Passw0rd');
  });

  it('does not retry a permission problem, and says what to grant', async () => {
    await pool.query(`create table ${schema}.guarded (segment text, person_id bigint, subject_type text,
      subject_id bigint, email text, updated_at timestamptz, primary key (segment, person_id))`);
    await pool.query(`create role ${writer} login password 'writer-Passw0rd'`);
    await pool.query(`grant usage on schema ${schema} to ${writer}`);
    await pool.query(`grant select on ${schema}.guarded to ${writer}`);
    const writerUrl = new URL(url);
    writerUrl.username = writer;
    writerUrl.password = 'writer-Passw0rd';
    const connector = tableDestination('guarded', ['email'], writerUrl.toString());
    const error = (await connector.deliver(batch('b-1', [entered(1)]), context).catch((e) => e)) as DeliveryError;
    expect(error).toMatchObject({ name: 'DeliveryError', retryable: false });
    expect(error.message).toContain(`Destination/warehouse (table ${schema}.guarded): permission denied`);
    expect(error.message).toContain('grant the user of postgresTable.url select, insert, update and delete');
    expect(error.message).not.toContain(writerUrl.toString());
    expect(error.message).not.toContain('writer-Passw0rd');
    await connector.close();
    opened.splice(opened.indexOf(connector), 1);
    await pool.query(`drop owned by ${writer}`);
  });
});
