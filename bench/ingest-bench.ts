import { createReadStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { runSourceIngest } from '../engine/ingest/run-source-ingest';
import { migrateSandbox } from '../engine/runtime/migrate-sandbox';
import { writePersonsCsv } from './generate-persons-csv';
import { type BenchResult, rosterQuietly, timed } from './measure';

const CONFIG = `apiVersion: roster/v1
kind: Source
metadata: { name: crm }
spec:
  type: file
  file: { baseDir: data }
  objects:
    - name: persons
      entity: person
      path: persons.csv
      key: id
      watermark: updated_at
      fields: { email: email, firstName: first_name, lastName: last_name, jobTitle: title, account: account_id, updatedAt: updated_at }
      identities: { crmContactId: id, marketoLeadId: marketo_id, email: email }
---
apiVersion: roster/v1
kind: IdentityMapping
metadata: { name: ids }
spec:
  sources: [crm]
  person: { namespaces: [{ name: crmContactId, type: crm-id, unique: true }, { name: marketoLeadId, type: marketo-id, unique: true }, { name: email, type: email }] }
  account: { namespaces: [{ name: crmAccountId, type: crm-id, unique: true }] }
`;

/**
 * The hand-written baseline: COPY the CSV into a staging table, then one upsert into the same
 * person_records table Roster writes, and the three identities per row into record_identities.
 * What a competent engineer would write by hand for this one file.
 */
async function handWrittenIngest(pool: Pool, schema: string, file: string): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query(
      'create temp table raw (id text, marketo_id text, email text, first_name text, last_name text, title text, account_id text, updated_at text) on commit drop',
    );
    await pipeline(createReadStream(file), client.query(copyFrom('copy raw from stdin (format csv, header true)')));
    await client.query('create temp table changed (id bigint, key text) on commit drop');
    await client.query(
      `with up as (
         insert into ${schema}.person_records (source_type, source_name, source_object, source_key, email, first_name, last_name, job_title, account_key, updated_at, content_hash, run_id)
         select 'file', 'crm', 'persons', id, email, first_name, last_name, title, account_id, updated_at::timestamptz,
                md5(concat_ws('|', email, first_name, last_name, title, account_id, updated_at, marketo_id)), 0 from raw
         on conflict (source_name, source_object, source_key) do update set email = excluded.email, first_name = excluded.first_name,
           last_name = excluded.last_name, job_title = excluded.job_title, account_key = excluded.account_key, updated_at = excluded.updated_at,
           content_hash = excluded.content_hash, needs_stitch = true
         where ${schema}.person_records.content_hash is distinct from excluded.content_hash
         returning id, source_key)
       insert into changed select id, source_key from up`,
    );
    await client.query(
      `delete from ${schema}.record_identities ri using changed c where ri.entity = 'person' and ri.record_id = c.id`,
    );
    await client.query(
      `insert into ${schema}.record_identities (entity, record_id, namespace, value)
       select 'person', c.id, x.namespace, x.value from changed c join raw r on r.id = c.key
       cross join lateral (values ('crmContactId', trim(r.id)), ('marketoLeadId', trim(r.marketo_id)), ('email', lower(trim(r.email)))) as x(namespace, value)
       on conflict do nothing`,
    );
    const { rows } = await client.query('select count(*)::int as n from changed');
    await client.query('commit');
    return rows[0].n;
  } finally {
    client.release();
  }
}

/**
 * Ingest N persons (CSV, account links, 3 identities each) through a `file` source, and the same
 * rows with the hand-written COPY + upsert, in one process; then the incremental re-ingest of the
 * same file with 1% of rows changed. Targets: Roster at 0.5x the hand-written rate or better, 1M in < 60 s.
 */
export async function benchIngest(url: string, persons: number): Promise<BenchResult[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roster-bench-ingest-'));
  const pool = new Pool({ connectionString: url, max: 4 });
  const sandbox = `bench_ingest_${Date.now()}`;
  const baseline = `bench_hand_${Date.now()}`;
  try {
    await fs.mkdir(path.join(dir, 'data'));
    const file = path.join(dir, 'data', 'persons.csv');
    await writePersonsCsv(file, persons);
    await fs.writeFile(path.join(dir, 'crm.yaml'), CONFIG);
    await rosterQuietly(['apply', dir, '--sandbox', sandbox, '--yes'], url, dir);
    await migrateSandbox(pool, baseline);
    const [roster, rosterSeconds] = await timed(() =>
      runSourceIngest(pool, sandbox, 'crm', { trigger: 'manual', env: {} }),
    );
    if (roster.status !== 'succeeded' || roster.written !== persons)
      throw new Error(`roster ingest: ${roster.status} ${roster.written} ${roster.error ?? ''}`);
    const [handWritten, handSeconds] = await timed(() => handWrittenIngest(pool, `roster_${baseline}`, file));
    if (handWritten !== persons) throw new Error(`baseline wrote ${handWritten}`);
    await writePersonsCsv(file, persons, { changedEvery: 100 });
    const [again, againSeconds] = await timed(() =>
      runSourceIngest(pool, sandbox, 'crm', { trigger: 'manual', env: {} }),
    );
    const [handAgain, handAgainSeconds] = await timed(() => handWrittenIngest(pool, `roster_${baseline}`, file));
    if (again.written !== Math.ceil(persons / 100) || handAgain !== again.written)
      throw new Error(`incremental: roster ${again.written}, baseline ${handAgain}`);
    const rate = (n: number, s: number) => n / s;
    const ratio = rate(persons, rosterSeconds) / rate(persons, handSeconds);
    return [
      {
        work: `ingest ${persons} persons (file source, 3 identities each)`,
        roster: rate(persons, rosterSeconds),
        baseline: rate(persons, handSeconds),
        unit: 'rows/s',
        target: '>= 0.5x baseline',
        pass: ratio >= 0.5,
        notes: `Roster ${rosterSeconds.toFixed(1)} s, hand-written ${handSeconds.toFixed(1)} s`,
      },
      {
        work: `ingest ${persons} persons, wall time`,
        roster: rosterSeconds,
        unit: 's',
        target: `< ${Math.round((60 * persons) / 1_000_000)} s`,
        pass: rosterSeconds < (60 * persons) / 1_000_000,
      },
      {
        work: `re-ingest the same file with 1% changed rows`,
        roster: againSeconds,
        baseline: handAgainSeconds,
        unit: 's',
        target: 'report',
        pass: true,
        notes: `${again.written} rows written`,
      },
    ];
  } finally {
    for (const s of [sandbox, baseline])
      await pool.query(`drop schema if exists roster_${s} cascade`).catch(() => undefined);
    await pool.end();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
