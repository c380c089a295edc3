import type { PoolClient } from 'pg';
import type { IdentityMappingSpec } from '../../schemas/generated/resource-types';
import { sandboxSchema } from '../runtime/sandbox-schema';
import { stitchPhases } from './stitch-phases';
import type { StitchSettings } from './stitch-settings';

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
 * value in the linking namespace of the identity mapping that stitches the record's source
 * (`accountLinking.byNamespace`, default crmAccountId), or the same source's account record with
 * that key; person links go through the same source's person records; events named by an identity
 * go to the person holding it. Persons without an account can be linked by email domain when a
 * mapping stitching one of their sources says so. Only rows whose resolution changes are written.
 */
export async function resolveLinks(
  client: PoolClient,
  sandbox: string,
  settings: StitchSettings,
  touchedPersons?: readonly number[],
): Promise<void> {
  const s = sandboxSchema(sandbox);
  const phases = stitchPhases('links');
  await collectAccountKeys(client, s, settings);
  phases.mark('account keys');
  await client.query(`update ${s}.accounts a set parent_account_id = x.parent from (
      select ar.account_id as id, min(p.account_id) as parent from ${s}.account_records ar
      join ${s}.account_records p on p.source_name = ar.source_name and p.source_key = ar.parent_key
      where ar.account_id is not null group by ar.account_id) x
    where a.id = x.id and a.parent_account_id is distinct from x.parent`);
  for (const table of ['opportunities', 'account_person_relations']) {
    await client.query(
      `update ${s}.${table} o set account_id = x.account from (
         select t.id, ${accountOf('t')} as account from ${s}.${table} t ${accountJoins('t')} where t.account_key is not null) x
       where o.id = x.id and o.account_id is distinct from x.account`,
    );
  }
  phases.mark('parents, opportunities, relations');
  await linkPersonsToAccounts(client, s, settings, touchedPersons);
  phases.mark('persons to accounts');
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
  phases.mark('roles, members, person keys');
  // Only the identities events name are looked up (a scan of every person identity would cost the
  // whole identity table on every stitch).
  await client.query(`update ${s}.events e set person_id = x.person_id from (
      select ri.namespace, ri.value, min(pr.person_id) as person_id
      from (select distinct identity_namespace, identity_value from ${s}.events
            where person_key is null and identity_namespace is not null) k
      join ${s}.record_identities ri on ri.entity = 'person' and ri.namespace = k.identity_namespace and ri.value = k.identity_value
      join ${s}.person_records pr on pr.id = ri.record_id where pr.person_id is not null
      group by ri.namespace, ri.value) x
    where e.person_key is null and e.identity_namespace = x.namespace and e.identity_value = x.value and e.person_id is distinct from x.person_id`);
  phases.mark('events by identity');
}

/**
 * The account a record's `account_key` names, in two temp tables joined by hash (a correlated
 * lookup per record cost seconds per 10,000 records): by identity (each source's linking
 * namespace, `link_namespaces`), and by the same source's account record key.
 */
async function collectAccountKeys(client: PoolClient, s: string, settings: StitchSettings): Promise<void> {
  const sources = settings.mappings.flatMap((m) => m.sources.map((source) => [source, linkingNamespace(m)] as const));
  await client.query(
    `create temp table link_namespaces on commit drop as
     select * from unnest($1::text[], $2::text[]) as x(source_name, namespace)`,
    [sources.map(([source]) => source), sources.map(([, namespace]) => namespace)],
  );
  await client.query(
    `create temp table account_by_identity on commit drop as
     select ri.namespace, ri.value, min(ar.account_id) as account_id
     from ${s}.record_identities ri join ${s}.account_records ar on ar.id = ri.record_id
     where ri.entity = 'account' and ar.account_id is not null group by ri.namespace, ri.value`,
  );
  await client.query(
    `create temp table account_by_key on commit drop as
     select source_name, source_key, min(account_id) as account_id from ${s}.account_records
     where account_id is not null group by source_name, source_key`,
  );
  await client.query('analyze link_namespaces; analyze account_by_identity; analyze account_by_key');
}

function linkingNamespace(mapping: IdentityMappingSpec): string {
  return mapping.accountLinking?.byNamespace ?? 'crmAccountId';
}

/** Joins that resolve `alias.account_key` (of `alias.source_name`); read the result with `accountOf`. */
function accountJoins(alias: string): string {
  return `left join link_namespaces ln_${alias} on ln_${alias}.source_name = ${alias}.source_name
    left join account_by_identity ai_${alias} on ai_${alias}.namespace = coalesce(ln_${alias}.namespace, 'crmAccountId')
      and ai_${alias}.value = ${alias}.account_key
    left join account_by_key ak_${alias} on ak_${alias}.source_name = ${alias}.source_name and ak_${alias}.source_key = ${alias}.account_key`;
}

function accountOf(alias: string): string {
  return `coalesce(ai_${alias}.account_id, ak_${alias}.account_id)`;
}

/**
 * A person's account: the one its records name (the first by source key), else, where a mapping
 * of one of its sources has emailDomainFallback, the one whose domain is its email's; none when
 * neither, so a link that no longer holds is removed. Only `touched` persons when given (the
 * persons a stitch re-clustered, when no account changed): nothing else a link reads has changed.
 */
async function linkPersonsToAccounts(
  client: PoolClient,
  s: string,
  settings: StitchSettings,
  touched: readonly number[] | undefined,
): Promise<void> {
  const fallbackSources = settings.mappings
    .filter((m) => m.accountLinking?.emailDomainFallback === true)
    .flatMap((m) => m.sources);
  if (touched) {
    await client.query('create temp table link_persons on commit drop as select distinct unnest($1::bigint[]) as id', [
      touched,
    ]);
    await client.query('analyze link_persons');
  } else {
    // Every person: this transaction may have just written most of them (a first load), and with
    // the statistics of the empty table the planner re-aggregated every record once per person
    // (more than 10 minutes at 100,000 persons).
    await client.query(`analyze ${s}.persons; analyze ${s}.person_records`);
  }
  const only = (column: string) => (touched ? `and ${column} in (select id from link_persons)` : '');
  await client.query(
    `with explicit as (
       select pr.person_id as id,
         (array_agg(${accountOf('pr')} order by pr.source_name, pr.source_object, pr.source_key) filter (where ${accountOf('pr')} is not null))[1] as account
       from ${touched ? 'link_persons lp join ' : ''}${s}.person_records pr ${touched ? 'on pr.person_id = lp.id' : ''} ${accountJoins('pr')}
       where pr.person_id is not null and pr.account_key is not null group by pr.person_id),
     by_domain as (
       select p2.id, (array_agg(a.id order by a.canonical_key))[1] as account from ${s}.persons p2
       join ${s}.accounts a on lower(a.domain) = lower(coalesce(p2.email_domain, nullif(split_part(p2.email, '@', 2), '')))
       where not (lower(coalesce(p2.email_domain, split_part(p2.email, '@', 2))) = any($1))
         and p2.id in (select person_id from ${s}.person_records where source_name = any($2)) ${only('p2.id')}
       group by p2.id),
     wanted as (
       select q.id, coalesce(e.account, d.account) as account from ${s}.persons q
       left join explicit e on e.id = q.id left join by_domain d on d.id = q.id where true ${only('q.id')})
     update ${s}.persons p set account_id = w.account from wanted w
     where p.id = w.id and p.account_id is distinct from w.account`,
    [FREE_MAIL, fallbackSources],
  );
}
