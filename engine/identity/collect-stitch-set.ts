import { estimatedRows } from '../runtime/estimated-rows';
import type { Queryable } from '../runtime/queryable';

/** Which records table and profile column an entity's stitching reads. */
export interface StitchTables {
  entity: 'person' | 'account';
  /** `person_records` or `account_records`. */
  table: string;
  /** `person_id` or `account_id`. */
  profile: string;
}

/**
 * Seed share of all records from which the whole table is taken instead of the closure, in
 * tables of at least WHOLE_TABLE_MIN records (below that the closure costs milliseconds).
 */
const WHOLE_TABLE_SHARE = 0.25;
const WHOLE_TABLE_MIN = 10_000;

/**
 * What a stitch re-clusters: the records of `stitch_set`, or every record of the entity (`whole`,
 * and `stitch_set` stays empty).
 */
export type StitchScope = 'set' | 'whole';

/** The records a stitch re-clusters: how many, and where they are (`StitchScope`). */
export interface StitchSet {
  size: number;
  scope: StitchScope;
}

/**
 * The records to re-cluster: changed ones and those of profiles that lost records, closed under
 * "shares an identity with", "is in the same profile as" and (for persons) "is a converted lead
 * of / the contact of", into the temp table `stitch_set`.
 *
 * The closure expands from the frontier (records added in the previous round) only, each step a
 * join an index serves, so its cost grows with the records it reaches, not with the rounds times
 * the set (decision 53). When every record changed (a first load) there is nothing to reach, and
 * when a quarter or more did, every record is taken without a closure: then the set is the whole
 * table, and is not written out (copying 1.6 million ids into `stitch_set` and joining them back
 * cost 4 s of a full stitch).
 */
export async function collectStitchSet(db: Queryable, schema: string, tables: StitchTables): Promise<StitchSet> {
  const { entity, table, profile } = tables;
  await db.query('create temp table stitch_set (record_id bigint primary key) on commit drop');
  await db.query('create temp table stitch_frontier (record_id bigint primary key) on commit drop');
  await db.query('create temp table stitch_reached (record_id bigint) on commit drop');
  // Counted from the partial index before anything is copied: a first load changes every record.
  // A count well below a quarter of the planner's estimate needs no exact total (counting a
  // million rows costs more than the closure of 1% of them); an estimate too high only means the
  // closure runs where the whole table would have been cheaper.
  const changed = await countChanged(db, schema, table);
  if (changed > 0 && changed >= WHOLE_TABLE_SHARE * (await estimatedRows(db, `${schema}.${table}`))) {
    const total = await countRecords(db, schema, table);
    if (changed === total || (total >= WHOLE_TABLE_MIN && changed >= total * WHOLE_TABLE_SHARE)) {
      // Re-clustering records the changes do not reach gives them the profiles they have, so a
      // superset is correct; past this share, taking every record is cheaper than the closure.
      return { size: total, scope: 'whole' };
    }
  }
  // Two statements, each served by an index (an OR of the two scanned the whole table).
  await db.query(`insert into stitch_set select id from ${schema}.${table} where needs_stitch`);
  const emptied = await db.query(
    `insert into stitch_set select id from ${schema}.${table}
     where ${profile} in (select profile_id from ${schema}.stitch_dirty where entity = $1) on conflict do nothing`,
    [entity],
  );
  let size = changed + (emptied.rowCount ?? 0);
  if (size === 0) return { size: 0, scope: 'set' };
  await analyzeIfStale(db, schema, ['record_identities', table]);
  await db.query('insert into stitch_frontier select record_id from stitch_set');
  for (let added = size; added > 0; size += added) {
    await db.query('analyze stitch_frontier');
    await db.query('truncate stitch_reached');
    await reachFromFrontier(db, schema, tables);
    await db.query('analyze stitch_reached');
    added = await advanceFrontier(db);
  }
  await db.query('analyze stitch_set');
  return { size, scope: 'set' };
}

/**
 * Analyses the tables the closure looks records up in when their statistics hold less than half
 * the rows the server counts live: right after a bulk load, before autovacuum has analysed them,
 * the planner took the 510,000 identities of 100,000 persons for 1,433, and hashed them all for
 * every round instead of looking up the few thousand it needed (0.5 s against 0.05 s). A whole-table
 * stitch does not need it (it reads the tables in place).
 */
async function analyzeIfStale(db: Queryable, schema: string, tables: readonly string[]): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_stat_user_tables s on s.relid = c.oid
     where c.relnamespace = $1::regnamespace and c.relname = any($2) and c.reltuples < 0.5 * s.n_live_tup`,
    [schema, tables],
  );
  for (const { name } of rows) await db.query(`analyze ${schema}.${name}`);
}

/** Records flagged for stitching, counted on the partial index that lists them. */
async function countChanged(db: Queryable, schema: string, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from ${schema}.${table} where needs_stitch`);
  return Number(rows[0]!.n);
}

async function countRecords(db: Queryable, schema: string, table: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(`select count(*) as n from ${schema}.${table}`);
  return Number(rows[0]!.n);
}

/** Records one step from the frontier, each relation as its own statement so an index serves it. */
async function reachFromFrontier(db: Queryable, schema: string, { entity, table, profile }: StitchTables) {
  // A semi-join on the frontier's values: a value shared by n records costs O(n), not n x n rows
  // (junk values are shared by thousands).
  await db.query(
    `insert into stitch_reached
     select other.record_id from ${schema}.record_identities other
     where other.entity = $1 and (other.namespace, other.value) in (
       select mine.namespace, mine.value from stitch_frontier f
       join ${schema}.record_identities mine on mine.entity = $1 and mine.record_id = f.record_id)`,
    [entity],
  );
  await db.query(
    `insert into stitch_reached
     select r.id from ${schema}.${table} r
     where r.${profile} in (select m.${profile} from stitch_frontier f join ${schema}.${table} m on m.id = f.record_id)`,
  );
  if (entity !== 'person') return;
  // A converted lead and its contact are one person whatever their identities say: each pulls in
  // the other, in two statements (an OR of the two directions is a join no index can serve).
  await db.query(
    `insert into stitch_reached
     select contact.id from stitch_frontier f join ${schema}.person_records lead on lead.id = f.record_id
     join ${schema}.person_records contact on contact.source_name = lead.source_name and contact.source_key = lead.converted_to_key
     where lead.converted_to_key is not null`,
  );
  await db.query(
    `insert into stitch_reached
     select lead.id from stitch_frontier f join ${schema}.person_records contact on contact.id = f.record_id
     join ${schema}.person_records lead on lead.source_name = contact.source_name and lead.converted_to_key = contact.source_key`,
  );
}

/** Adds the reached records that are new to the set; they become the next frontier. */
async function advanceFrontier(db: Queryable): Promise<number> {
  await db.query('truncate stitch_frontier');
  const added = await db.query(
    `with added as (
       insert into stitch_set select distinct record_id from stitch_reached on conflict do nothing returning record_id)
     insert into stitch_frontier select record_id from added`,
  );
  return added.rowCount ?? 0;
}
