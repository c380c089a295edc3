import type { AccountActivation } from '../../schemas/generated/resource-types';
import { likeLiteral, type SqlBuilder } from './sql-builder';

/**
 * `(select count(distinct person) ...)`: the persons an account audience activates for the accounts
 * in `accounts` (a relation with `subject_id`), chosen as delivery chooses them
 * (`readActivationMembers`): by active relations with one of `activate.roles`, else by the person's
 * own account; `activate.titles` filters job titles.
 */
export function countActivatedPersons(
  schema: string,
  accounts: string,
  activate: AccountActivation | undefined,
  sql: SqlBuilder,
): string {
  const filters: string[] = [];
  let from: string;
  if (activate?.roles) {
    from = `${schema}.account_person_relations rel join ${schema}.persons p on p.id = rel.person_id`;
    filters.push(
      `rel.account_id in (select subject_id from ${accounts})`,
      `lower(rel.role) = any(${sql.param(
        activate.roles.map((r) => r.toLowerCase()),
        'text[]',
      )})`,
      'coalesce(rel.is_active, true)',
      '(rel.start_date is null or rel.start_date <= current_date) and (rel.end_date is null or rel.end_date >= current_date)',
    );
  } else {
    from = `${schema}.persons p`;
    filters.push(`p.account_id in (select subject_id from ${accounts})`);
  }
  if (activate?.titles)
    filters.push(
      `p.job_title ilike any(${sql.param(
        activate.titles.map((t) => `%${likeLiteral(t)}%`),
        'text[]',
      )})`,
    );
  return `(select count(distinct p.id)::int from ${from} where ${filters.join(' and ')})`;
}
