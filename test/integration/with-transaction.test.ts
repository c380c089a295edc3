import type { Pool, PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../engine/runtime/with-transaction';
import { testPool, uniqueSandbox } from '../support/test-database';

/**
 * `withTransaction` is the one way a step gets a transaction: its own on a pool, a savepoint inside
 * the caller's when handed the caller's client (decision 59).
 */
let pool: Pool;
const schema = uniqueSandbox('withtx');

beforeAll(async () => {
  pool = await testPool();
  await pool.query(`create schema ${schema}; create table ${schema}.steps (name text primary key)`);
});

afterAll(async () => {
  await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.end();
});

async function write(db: { query: PoolClient['query'] }, name: string): Promise<void> {
  await db.query(`insert into ${schema}.steps (name) values ($1)`, [name]);
}

/** What is committed, read on another connection than the one under test. */
async function committed(prefix: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    `select name from ${schema}.steps where name like $1 || '%' order by name`,
    [prefix],
  );
  return rows.map((r) => r.name);
}

/** The caller's own transaction on one client, committed or rolled back as `end` says. */
async function asCaller(end: 'commit' | 'rollback', work: (client: PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await work(client);
    await client.query(end);
  } finally {
    client.release();
  }
}

const failure = new Error('step failed');

describe('withTransaction', () => {
  it('on a pool commits what the work wrote, or nothing when it throws', async () => {
    await withTransaction(pool, (client) => write(client, 'pool-a'));
    await expect(
      withTransaction(pool, async (client) => {
        await write(client, 'pool-b');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await committed('pool-')).toEqual(['pool-a']);
  });

  it("inside the caller's transaction, a failing step rolls back only its own writes", async () => {
    await asCaller('commit', async (caller) => {
      await write(caller, 'inner-before');
      await withTransaction(caller, (client) => write(client, 'inner-ok'));
      await expect(
        withTransaction(caller, async (client) => {
          await write(client, 'inner-failed');
          throw failure;
        }),
      ).rejects.toBe(failure);
      // The caller's transaction is still usable after the failed step.
      await write(caller, 'inner-after');
      expect(await committed('inner-')).toEqual([]); // nothing committed by the steps themselves
    });
    expect(await committed('inner-')).toEqual(['inner-after', 'inner-before', 'inner-ok']);
  });

  it("a caller's rollback discards the work of steps that succeeded", async () => {
    await asCaller('rollback', async (caller) => {
      await withTransaction(caller, (client) => write(client, 'outer-step'));
    });
    expect(await committed('outer-')).toEqual([]);
  });

  it('steps nest: a failing step inside a step undoes only itself', async () => {
    await asCaller('commit', async (caller) => {
      await withTransaction(caller, async (client) => {
        await write(client, 'nest-a');
        await withTransaction(client, async (inner) => {
          await write(inner, 'nest-b');
          throw failure;
        }).catch(() => undefined);
        await write(client, 'nest-c');
      });
    });
    expect(await committed('nest-')).toEqual(['nest-a', 'nest-c']);
  });

  it("drops a step's temporary tables with it, so the step can run twice in one transaction", async () => {
    const step = (db: PoolClient) =>
      withTransaction(db, async (client, { nested }) => {
        await client.query('create temp table step_scratch (name text) on commit drop');
        await client.query(`insert into step_scratch values ('temp-' || $1)`, [String(nested)]);
        await client.query(`insert into ${schema}.steps select name from step_scratch`);
      });
    await asCaller('commit', async (caller) => {
      await step(caller);
      await caller.query(`delete from ${schema}.steps where name = 'temp-true'`);
      await step(caller);
    });
    expect(await committed('temp-')).toEqual(['temp-true']);
  });

  it('on a client in no transaction opens one of its own', async () => {
    const client = await pool.connect();
    try {
      await withTransaction(client, (c) => write(c, 'alone-a'));
      await expect(
        withTransaction(client, async (c) => {
          await write(c, 'alone-b');
          throw failure;
        }),
      ).rejects.toBe(failure);
      // Left in no transaction: PostgreSQL refuses a savepoint outside one.
      await expect(client.query('savepoint probe')).rejects.toMatchObject({ code: '25P01' });
    } finally {
      client.release();
    }
    expect(await committed('alone-')).toEqual(['alone-a']);
  });
});
