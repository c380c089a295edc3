import type { PoolClient } from 'pg';
import { sandboxSchema } from '../runtime/sandbox-schema';
import type { StitchSettings } from './stitch-identities';

/** Mail providers whose domains say nothing about a person's company. */
const FREE_MAIL = [
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'mail.com',
];

/**
 * Points every relation at profiles: a record's account link is the account profile holding that
 * value in the linking namespace (default crmAccountId) or the same source's account record with
 * that key; person links go through the same source's person records; events named by an identity
 * go to the person holding it. Persons without an account can be linked by email domain. Only rows
 * whose resolution changes are written.
 */
export async function resolveLinks(client: PoolClient, sandbox: string, settings: StitchSettings): Promise<void> {
  const s = sandboxSchema(sandbox);
  const namespace =
    settings.mappings.find((m) => m.accountLinking?.byNamespace)?.accountLinking?.byNamespace ?? 'crmAccountId';
  // Spliced into the statements below: the schema's namespace pattern, checked again here because
  // registry rows are not re-validated on read.
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(namespace))
    throw new Error(`identity namespace ${JSON.stringify(namespace)} is not a valid name`);
  const accountOf = (table: string) => `(
    select coalesce(
      (select ar.account_id from ${s}.record_identities ri join ${s}.account_records ar on ar.id = ri.record_id
       where ri.entity = 'account' and ri.namespace = '${namespace}' and ri.value = ${table}.account_key and ar.account_id is not null order by ar.account_id limit 1),
      (select ar.account_id from ${s}.account_records ar where ar.source_name = ${table}.source_name and ar.source_key = ${table}.account_key limit 1)))`;
  await client.query(`update ${s}.accounts a set parent_account_id = x.parent from (
      select ar.account_id as id, min(p.account_id) as parent from ${s}.account_records ar
      join ${s}.account_records p on p.source_name = ar.source_name and p.source_key = ar.parent_key
      where ar.account_id is not null group by ar.account_id) x
    where a.id = x.id and a.parent_account_id is distinct from x.parent`);
  await client.query(
    `update ${s}.opportunities o set account_id = ${accountOf('o')} where o.account_key is not null and o.account_id is distinct from ${accountOf('o')}`,
  );
  await client.query(
    `update ${s}.account_person_relations o set account_id = ${accountOf('o')} where o.account_key is not null and o.account_id is distinct from ${accountOf('o')}`,
  );
  // A person's account: the one its records name, else (with emailDomainFallback) the one whose
  // domain is its email's; none when neither, so a link that no longer holds is removed.
  await client.query(
    `with explicit as (
       select pr.person_id as id, (array_agg(${accountOf('pr')} order by pr.source_name, pr.source_object, pr.source_key) filter (where ${accountOf('pr')} is not null))[1] as account
       from ${s}.person_records pr where pr.person_id is not null group by pr.person_id),
     by_domain as (
       select p2.id, (array_agg(a.id order by a.canonical_key))[1] as account from ${s}.persons p2
       join ${s}.accounts a on lower(a.domain) = lower(coalesce(p2.email_domain, nullif(split_part(p2.email, '@', 2), '')))
       where $2 and not (lower(coalesce(p2.email_domain, split_part(p2.email, '@', 2))) = any($1)) group by p2.id),
     wanted as (
       select q.id, coalesce(e.account, d.account) as account from ${s}.persons q
       left join explicit e on e.id = q.id left join by_domain d on d.id = q.id)
     update ${s}.persons p set account_id = w.account from wanted w
     where p.id = w.id and p.account_id is distinct from w.account`,
    [FREE_MAIL, settings.mappings.some((m) => m.accountLinking?.emailDomainFallback === true)],
  );
  for (const [table, link, target] of [
    ['opportunity_roles', 'opportunity', 'opportunities'],
    ['campaign_members', 'campaign', 'campaigns'],
    ['marketing_list_members', 'list', 'marketing_lists'],
  ] as const) {
    await client.query(`update ${s}.${table} t set ${link}_id = x.id from ${s}.${target} x
      where x.source_name = t.source_name and x.source_key = t.${link}_key and t.${link}_id is distinct from x.id`);
  }
  for (const table of [
    'opportunity_roles',
    'account_person_relations',
    'campaign_members',
    'marketing_list_members',
    'events',
  ]) {
    await client.query(`update ${s}.${table} t set person_id = pr.person_id from ${s}.person_records pr
      where pr.source_name = t.source_name and pr.source_key = t.person_key and t.person_id is distinct from pr.person_id`);
  }
  await client.query(`update ${s}.events e set person_id = x.person_id from (
      select distinct on (ri.namespace, ri.value) ri.namespace, ri.value, pr.person_id from ${s}.record_identities ri
      join ${s}.person_records pr on pr.id = ri.record_id where ri.entity = 'person' and pr.person_id is not null
      order by ri.namespace, ri.value, pr.person_id) x
    where e.person_key is null and e.identity_namespace = x.namespace and e.identity_value = x.value and e.person_id is distinct from x.person_id`);
}
