import type { Pool } from 'pg';

/**
 * A few accounts and people shaped like examples/acme's (its enterprise and hot-lead rules), written
 * straight into the profile tables of an applied sandbox: Globex is an enterprise account; Hooli
 * (USD 30M, no tier) becomes one when the revenue threshold drops below 30M; Initech is small;
 * Umbrella is a partner. ann (Globex, VP), bob (Hooli, Director) and dan (Initech, VP) are hot
 * leads; cat (Hooli, Engineer) is not, and her title is not activated.
 */
export async function seedAcmeAudiences(pool: Pool, sandbox: string): Promise<void> {
  const s = `roster_${sandbox}`;
  await pool.query(
    `insert into ${s}.accounts (id, canonical_key, name, domain, industry, type, annual_revenue, attrs) values
       (1, 'crm/Account/001A', 'Globex', 'globex.example', 'Technology', 'Customer', 80000000, '{"tier": "Enterprise"}'),
       (2, 'crm/Account/001B', 'Initech', 'initech.example', 'Technology', 'Prospect', 2000000, '{"tier": "SMB"}'),
       (3, 'crm/Account/001C', 'Umbrella Partners', 'umbrella.example', 'Financial Services', 'Partner', 90000000, '{}'),
       (4, 'crm/Account/001D', 'Hooli', 'hooli.example', 'Telecommunications', 'Prospect', 30000000, '{}')`,
  );
  await pool.query(
    `insert into ${s}.persons (id, canonical_key, email, first_name, job_title, person_type, account_id) values
       (1, 'crm/Contact/003A', 'ann@globex.example', 'Ann', 'VP Marketing', 'contact', 1),
       (2, 'crm/Contact/003B', 'bob@hooli.example', 'Bob', 'Director of IT', 'contact', 4),
       (3, 'crm/Contact/003C', 'cat@hooli.example', 'Cat', 'Engineer', 'contact', 4),
       (4, 'crm/Contact/003D', 'dan@initech.example', 'Dan', 'VP Sales', 'contact', 2)`,
  );
  // Hot leads: three email opens in the last 14 days and a pricing-page visit in the last 7.
  const events: string[] = [];
  for (const person of [1, 2, 4]) {
    for (const day of [1, 2, 3]) events.push(`(${person}, 'email.opened', now() - interval '${day} days', null)`);
    events.push(`(${person}, 'web.visit', now() - interval '1 day', 'https://acme.example/pricing')`);
  }
  events.push(`(3, 'web.visit', now() - interval '1 day', 'https://acme.example/blog')`);
  await pool.query(
    `insert into ${s}.events (source_type, source_name, source_object, source_key, type, occurred_at, url, person_id, content_hash, run_id)
     select 'file', 'web-events', 'events', 'e' || row_number() over (), e.type, e.at, e.url, e.person, 'seed', 0
     from (values ${events.join(', ')}) as e(person, type, at, url)`,
  );
}
