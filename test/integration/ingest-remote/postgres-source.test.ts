import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfigDir } from '../../support/config-dir';
import { roster } from '../../support/run-roster';
import { dropSandboxes, testDatabaseUrl, testPool, uniqueSandbox } from '../../support/test-database';

const sandbox = uniqueSandbox('pgsrc');
const external = `ext_${sandbox}`;
let pool: Pool;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  pool = await testPool();
  const url = await testDatabaseUrl();
  env = { DATABASE_URL: url, WAREHOUSE_URL: url };
  await pool.query(`create schema ${external}`);
  await pool.query(
    `create table ${external}.contacts (id int primary key, email text, title text, seq bigint not null)`,
  );
  await pool.query(
    `insert into ${external}.contacts select i, 'c' || i || '@acme.example', 'Analyst', i from generate_series(1, 12) i`,
  );
  const dir = await writeConfigDir({
    'warehouse.yaml': `apiVersion: roster/v1
kind: Source
metadata: { name: warehouse }
spec:
  type: postgres
  postgres: { url: '{{ secret("WAREHOUSE_URL") }}' }
  objects:
    - name: contacts
      entity: person
      query: select id, email, title, seq from ${external}.contacts where email like '%@acme.example'
      key: id
      watermark: seq
      fields: { email: email, jobTitle: title }
      identities: { email: email }
`,
    'ids.yaml': `apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [warehouse]
  person: { namespaces: [{ name: email, type: email }] }
`,
  });
  expect(roster(['apply', dir, '--sandbox', sandbox, '--yes'], env).code).toBe(0);
});

afterAll(async () => {
  await pool.query(`drop schema if exists ${external} cascade`);
  await dropSandboxes(pool, [sandbox]);
  await pool.end();
});

const run = () =>
  JSON.parse(roster(['source', 'run', 'warehouse', '--sandbox', sandbox, '--format', 'json'], env).stdout);

describe('a postgres source (a SQL query on another database)', () => {
  it('loads the query result, then only rows past the numeric watermark', async () => {
    expect(run()).toMatchObject({ status: 'succeeded', read: 12, written: 12 });
    await pool.query(
      `insert into ${external}.contacts values (13, 'c13@acme.example', 'CFO', 13), (14, 'c14@other.example', 'CTO', 14)`,
    );
    await pool.query(`update ${external}.contacts set title = 'Head of Data', seq = 15 where id = 2`);
    const second = run();
    // The last watermark's row is read again (sources stamp many rows alike); its unchanged content writes nothing.
    expect(second).toMatchObject({ status: 'succeeded', read: 3, written: 2 });
    const { rows } = await pool.query(
      `select source_key, job_title from roster_${sandbox}.person_records where source_key in ('2', '13') order by 1`,
    );
    expect(rows).toEqual([
      { source_key: '13', job_title: 'CFO' },
      { source_key: '2', job_title: 'Head of Data' },
    ]);
    const { rows: marks } = await pool.query(`select watermark from roster_${sandbox}.source_watermarks`);
    expect(marks).toEqual([{ watermark: '00000000000000000015' }]);
  });
});
