import type { Queryable } from '../queryable';
import { sandboxSchema } from '../sandbox-schema';

/** A unified person, with what it is made of and what it is connected to. */
export interface PersonProfile {
  id: number;
  canonicalKey: string;
  attributes: Record<string, unknown>;
  identities: { namespace: string; value: string }[];
  account: { id: number; name: string | null; domain: string | null; industry: string | null } | null;
  opportunities: {
    id: number;
    name: string | null;
    stage: string | null;
    amount: string | null;
    isClosed: boolean | null;
    role: string | null;
    isPrimary: boolean | null;
  }[];
  recentEvents: { type: string; occurredAt: string; url: string | null; source: string }[];
  records: { source: string; object: string; key: string; sourceType: string }[];
}

/** How to find a person: its id, or an identity (`email`, or any `namespace:value`). */
export type PersonLookup = { id: number } | { email: string } | { namespace: string; value: string };

export async function tryReadPersonProfile(
  db: Queryable,
  sandbox: string,
  lookup: PersonLookup,
): Promise<PersonProfile | undefined> {
  const s = sandboxSchema(sandbox);
  const id = await findPersonId(db, s, lookup);
  if (id === undefined) return undefined;
  const person = (await db.query(`select * from ${s}.persons where id = $1`, [id])).rows[0]!;
  const { id: _id, canonical_key, account_id, attrs, stitched_at, ...columns } = person;
  const attributes = { ...camelKeys(columns), ...(attrs as object) };
  const identities = await db.query<{ namespace: string; value: string }>(
    `select distinct ri.namespace, ri.value from ${s}.record_identities ri join ${s}.person_records r on r.id = ri.record_id
     where ri.entity = 'person' and r.person_id = $1 order by 1, 2`,
    [id],
  );
  const account =
    account_id === null
      ? []
      : (await db.query(`select id::int, name, domain, industry from ${s}.accounts where id = $1`, [account_id])).rows;
  const opportunities = await db.query(
    `select o.id::int, o.name, o.stage, o.amount::text, o.is_closed as "isClosed", r.role, r.is_primary as "isPrimary"
     from ${s}.opportunity_roles r join ${s}.opportunities o on o.id = r.opportunity_id where r.person_id = $1 order by o.close_date desc nulls last, o.id`,
    [id],
  );
  const events = await db.query(
    `select type, to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "occurredAt", url, source_name as source
     from ${s}.events where person_id = $1 order by occurred_at desc limit 20`,
    [id],
  );
  const records = await db.query(
    `select source_name as source, source_object as object, source_key as key, source_type as "sourceType" from ${s}.person_records where person_id = $1 order by 1, 2, 3`,
    [id],
  );
  return {
    id,
    canonicalKey: canonical_key,
    attributes: Object.fromEntries(Object.entries(attributes).filter(([, v]) => v !== null)),
    identities: identities.rows,
    account: (account[0] as PersonProfile['account']) ?? null,
    opportunities: opportunities.rows as PersonProfile['opportunities'],
    recentEvents: events.rows as PersonProfile['recentEvents'],
    records: records.rows as PersonProfile['records'],
  };
}

async function findPersonId(db: Queryable, s: string, lookup: PersonLookup): Promise<number | undefined> {
  if ('id' in lookup) {
    const { rows } = await db.query<{ id: number }>(`select id::int from ${s}.persons where id = $1`, [lookup.id]);
    return rows[0]?.id;
  }
  const [namespace, value] =
    'email' in lookup ? [undefined, lookup.email.trim().toLowerCase()] : [lookup.namespace, lookup.value];
  const { rows } = await db.query<{ id: number }>(
    namespace === undefined
      ? `select p.id::int from ${s}.persons p where lower(p.email) = $1
         union select r.person_id::int from ${s}.record_identities ri join ${s}.person_records r on r.id = ri.record_id
         where ri.entity = 'person' and lower(ri.value) = $1 and r.person_id is not null order by 1 limit 1`
      : `select r.person_id::int as id from ${s}.record_identities ri join ${s}.person_records r on r.id = ri.record_id
         where ri.entity = 'person' and ri.namespace = $2 and ri.value = $1 and r.person_id is not null order by 1 limit 1`,
    namespace === undefined ? [value] : [value, namespace],
  );
  return rows[0]?.id;
}

function camelKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      v instanceof Date ? v.toISOString() : v,
    ]),
  );
}
