import type { Pool } from 'pg';

/** Sizes of the generated B2B data set (the issue's: 100k accounts, 1M persons, 200k opportunities, 10M events). */
export interface ProfileTableSizes {
  accounts: number;
  persons: number;
  opportunities: number;
  events: number;
}

export function profileTableSizes(scale: number): ProfileTableSizes {
  return {
    accounts: Math.round(100_000 * scale),
    persons: Math.round(1_000_000 * scale),
    opportunities: Math.round(200_000 * scale),
    events: Math.round(10_000_000 * scale),
  };
}

/**
 * Fills a sandbox's profile tables directly with a deterministic data set, as if sources had been
 * ingested and stitched: segmentation benchmarks measure evaluation, not ingestion (which has its
 * own benchmark). Values are spread by multiplicative hashing of the row number, so every size has
 * the same proportions: industries cycle over ten, revenue is uniform over 0-999M, each opportunity
 * has two person roles at its account, events spread over 90 days before `now`.
 */
export async function fillProfileTables(
  pool: Pool,
  schema: string,
  sizes: ProfileTableSizes,
  now: Date,
): Promise<void> {
  const { accounts, persons, opportunities, events } = sizes;
  const at = now.toISOString();
  await pool.query(
    `insert into ${schema}.accounts (id, canonical_key, name, domain, industry, type, annual_revenue, number_of_employees)
     select i, 'bench/accounts/' || i, 'Account ' || i, 'account' || i || '.example',
            (array['Technology','Financial Services','Manufacturing','Retail','Healthcare','Energy','Education','Media','Transportation','Telecommunications'])[1 + i % 10],
            case when i % 7 = 0 then 'Customer' else 'Prospect' end,
            ((i::bigint * 7919) % 1000) * 1000000, 10 + (i * 31) % 5000
     from generate_series(1, $1::int) i`,
    [accounts],
  );
  await pool.query(
    `insert into ${schema}.persons (id, canonical_key, email, first_name, last_name, job_title, person_type, account_id)
     select i, 'bench/persons/' || i, case when i % 20 = 0 then null else 'person' || i || '@account' || (1 + (i - 1) % $2::int) || '.example' end,
            'First' || i, 'Last' || i,
            (array['VP Engineering','Director of IT','Analyst','Chief Financial Officer','Engineer'])[1 + i % 5],
            case when i % 3 = 0 then 'lead' else 'contact' end, 1 + (i - 1) % $2::int
     from generate_series(1, $1::int) i`,
    [persons, accounts],
  );
  await pool.query(
    `insert into ${schema}.opportunities (id, source_type, source_name, source_object, source_key, name, stage, amount, is_closed, is_won, account_id, content_hash, run_id)
     select i, 'file', 'bench', 'opportunities', i::text, 'Opportunity ' || i,
            case when i % 3 = 0 then 'Closed Won' else 'Negotiation' end, ((i::bigint * 131) % 500) * 1000,
            i % 3 = 0, i % 3 = 0, 1 + (i::bigint * 37) % $2::int, 'bench', 0
     from generate_series(1, $1::int) i`,
    [opportunities, accounts],
  );
  // Two roles per opportunity, held by persons of the opportunity's account (persons of account a are a, a + accounts, ...).
  await pool.query(
    `insert into ${schema}.opportunity_roles (source_type, source_name, source_object, source_key, role, is_primary, opportunity_id, person_id, content_hash, run_id)
     select 'file', 'bench', 'roles', o.id || '/' || r, (array['Decision Maker','Economic Buyer','Influencer','Evaluator'])[1 + (o.id + r) % 4],
            r = 1, o.id, o.account_id + ((o.id * 13 + r) % ($2::int / $3::int)) * $3::int, 'bench', 0
     from ${schema}.opportunities o cross join generate_series(1, 2) r where o.id <= $1::int`,
    [opportunities, persons, accounts],
  );
  // In slices, so one statement does not hold 10M rows of WAL and sort memory at once.
  const slice = 1_000_000;
  for (let from = 1; from <= events; from += slice) {
    await pool.query(
      `insert into ${schema}.events (source_type, source_name, source_object, source_key, type, occurred_at, url, person_id, content_hash, run_id)
       select 'http', 'bench', 'events', i::text, (array['email.opened','email.clicked','web.visit','form.filled'])[1 + (i * 7) % 4],
              $3::timestamptz - make_interval(secs => (i::bigint * 104729) % 7776000),
              case when i % 4 = 2 then '/pricing' end, 1 + (i::bigint * 7919) % $4::int, 'bench', 0
       from generate_series($1::int, $2::int) i`,
      [from, Math.min(events, from + slice - 1), at, persons],
    );
  }
  for (const table of ['accounts', 'persons', 'opportunities', 'opportunity_roles', 'events'])
    await pool.query(`analyze ${schema}.${table}`);
}
