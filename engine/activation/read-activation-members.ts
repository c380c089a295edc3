import type { SegmentSpec } from '../../schemas/generated/resource-types';
import type { AttributeCatalog, AttributeDefinition } from '../catalog/attribute-catalog';
import type { Queryable } from '../runtime/queryable';
import { attributeSql } from '../segment/compile-comparison';
import { likeLiteral } from '../segment/sql-builder';
import { type ActivationMember, DeliveryError, type FieldValue } from './connector';

/** How to read a destination's members: its fields, and for account audiences which persons. */
export interface MemberReader {
  schema: string;
  catalog: AttributeCatalog;
  fields: readonly string[];
  segmentSpec: (segment: string) => SegmentSpec | undefined;
}

/**
 * The persons each subject activates, with the destination's fields: a person subject is itself;
 * an account subject is its persons (through active account-person relations with one of
 * `activate.roles` when given, else by the person's account; `activate.titles` filters job titles).
 * Identifiers come only from the attribute catalog; values are bind parameters.
 */
export async function readActivationMembers(
  db: Queryable,
  reader: MemberReader,
  segment: string,
  subjects: { subjectType: 'person' | 'account'; subjectIds: readonly number[] },
): Promise<Map<number, ActivationMember[]>> {
  const columns = reader.fields.map((field, i) => `${fieldSql(reader.catalog, field)} as f${i}`);
  const params: unknown[] = [subjects.subjectIds];
  const s = reader.schema;
  let from: string;
  const filters: string[] = [];
  if (subjects.subjectType === 'person') {
    from = `unnest($1::bigint[]) as x(subject_id) join ${s}.persons p on p.id = x.subject_id`;
  } else {
    const activate = reader.segmentSpec(segment)?.activate;
    if (activate?.roles) {
      params.push(activate.roles.map((r) => r.toLowerCase()));
      from = `unnest($1::bigint[]) as x(subject_id)
        join ${s}.account_person_relations rel on rel.account_id = x.subject_id
          and lower(rel.role) = any($${params.length}::text[]) and coalesce(rel.is_active, true)
          and (rel.start_date is null or rel.start_date <= current_date) and (rel.end_date is null or rel.end_date >= current_date)
        join ${s}.persons p on p.id = rel.person_id`;
    } else {
      from = `unnest($1::bigint[]) as x(subject_id) join ${s}.persons p on p.account_id = x.subject_id`;
    }
    if (activate?.titles) {
      params.push(activate.titles.map((t) => `%${likeLiteral(t)}%`));
      filters.push(`p.job_title ilike any($${params.length}::text[])`);
    }
  }
  const { rows } = await db.query<Record<string, unknown>>(
    `select distinct on (x.subject_id, p.id) x.subject_id as "subjectId", p.id as "personId"${columns.map((c) => `, ${c}`).join('')}
     from ${from} left join ${s}.accounts a on a.id = p.account_id
     ${filters.length > 0 ? `where ${filters.join(' and ')}` : ''}
     order by x.subject_id, p.id`,
    params,
  );
  const members = new Map<number, ActivationMember[]>();
  for (const row of rows) {
    const subjectId = Number(row.subjectId);
    const list = members.get(subjectId) ?? [];
    list.push(toMember(row, reader.fields));
    members.set(subjectId, list);
  }
  return members;
}

/**
 * The current members of a segment with the destination's fields, in pages of `pageSize` subjects
 * (file snapshots, mirror checks). Reads the membership table, never the history.
 */
export async function* readCurrentMembers(
  db: Queryable,
  reader: MemberReader,
  segment: string,
  pageSize = 5000,
): AsyncGenerator<ActivationMember[], void, undefined> {
  let after = 0;
  for (;;) {
    const { rows } = await db.query<{ subjectId: string; subjectType: 'person' | 'account' }>(
      `select subject_id as "subjectId", subject_type as "subjectType" from ${reader.schema}.segment_memberships
       where segment = $1 and subject_id > $2 order by subject_id limit $3`,
      [segment, after, pageSize],
    );
    if (rows.length === 0) return;
    after = Number(rows.at(-1)!.subjectId);
    const members = await readActivationMembers(db, reader, segment, {
      subjectType: rows[0]!.subjectType,
      subjectIds: rows.map((r) => Number(r.subjectId)),
    });
    yield [...members.values()].flat();
  }
}

/** The SQL of a destination field: a person attribute (`email`) or its account's (`account.name`). */
function fieldSql(catalog: AttributeCatalog, field: string): string {
  const [entity, name] = field.startsWith('account.')
    ? (['account', field.slice(8)] as const)
    : (['person', field] as const);
  const attribute: AttributeDefinition | undefined = catalog.get(entity)?.get(name);
  if (!attribute)
    throw new DeliveryError(
      `field "${field}" is not in the attribute catalog (a custom field was removed?): fix the destination's fields and run roster apply`,
      { retryable: false },
    );
  return attributeSql(entity === 'account' ? 'a' : 'p', attribute);
}

function toMember(row: Record<string, unknown>, fields: readonly string[]): ActivationMember {
  const values: Record<string, FieldValue> = {};
  fields.forEach((field, i) => {
    values[field] = toFieldValue(row[`f${i}`]);
  });
  return { personId: Number(row.personId), fields: values };
}

function toFieldValue(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}
