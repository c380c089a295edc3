import type { CountFilter } from '../../schemas/generated/resource-types';
import type { SqlBuilder } from './sql-builder';

/** One way persons are linked to an account: the rows and the expression of the person's id. */
export interface LinkedPersons {
  from: string;
  filters: string[];
  /** What to count distinct (a person may have several relation rows to one account); `*` when rows are persons. */
  personId: string;
}

/**
 * A count condition over persons reached in two disjoint ways (their own account; relation rows of
 * persons whose own account it is not), each side on its own index. A `union` of the two sides
 * would deduplicate too, but measured about twice as slow on account audiences (decision 35).
 */
export function countLinkedPersons(sides: LinkedPersons[], count: CountFilter | undefined, sql: SqlBuilder): string {
  const body = (side: LinkedPersons) => `from ${side.from} where ${side.filters.join(' and ')}`;
  const anyOf = `(${sides.map((side) => `exists (select 1 ${body(side)})`).join(' or ')})`;
  if (count === undefined || (count.gte === 1 && count.lte === undefined && count.eq === undefined)) return anyOf;
  if (count.eq === 0 && (count.gte ?? 0) === 0) return `not ${anyOf}`;
  const counts = sides.map((side) =>
    side.personId === '*'
      ? `(select count(*) ${body(side)})`
      : `(select count(distinct ${side.personId}) ${body(side)})`,
  );
  const n = `(${counts.join(' + ')})`;
  const tests = [
    ...(count.eq !== undefined ? [`${n} = ${sql.param(count.eq, 'bigint')}`] : []),
    ...(count.gte !== undefined ? [`${n} >= ${sql.param(count.gte, 'bigint')}`] : []),
    ...(count.lte !== undefined ? [`${n} <= ${sql.param(count.lte, 'bigint')}`] : []),
  ];
  return `(${tests.join(' and ')})`;
}
