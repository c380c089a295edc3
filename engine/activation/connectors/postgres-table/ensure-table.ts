import { escapeIdentifier } from 'pg';
import type { Queryable } from '../../../runtime/queryable';
import { KEY_COLUMNS, type TableLayout } from './table-layout';

/** A target table whose existing layout Roster cannot write to; the message says what is expected. */
export class TableLayoutError extends Error {
  override readonly name = 'TableLayoutError';
}

interface ColumnRow {
  name: string;
  type: string;
  inPrimaryKey: boolean;
}

const EXPECTED =
  'segment text, person_id bigint, subject_type text, subject_id bigint, updated_at timestamptz, primary key (segment, person_id)';

/**
 * Makes the target table ready: created when missing (with an index for exits by subject), field
 * columns added when the destination gained fields. A table whose key columns differ is refused
 * with `TableLayoutError`. DDL runs only when something is missing, so a user allowed only to
 * read and write rows of an existing table can be the destination's user.
 */
export async function ensureTable(db: Queryable, layout: TableLayout): Promise<void> {
  let columns = await readTableColumns(db, layout);
  if (columns === undefined) {
    await createTable(db, layout);
    columns = (await readTableColumns(db, layout)) ?? [];
  }
  const problems = keyColumnProblems(columns);
  if (problems.length > 0)
    throw new TableLayoutError(
      `table ${layout.name} does not have the layout Roster writes: ${problems.join('; ')}; expected ${EXPECTED}; fix the table, or point postgresTable.table at a new table (Roster creates it)`,
    );
  const present = new Set(columns.map((c) => c.name));
  const missing = layout.fieldColumns.filter((c) => !present.has(c.column));
  if (missing.length > 0)
    await db.query(
      `alter table ${layout.sql} ${missing.map((c) => `add column if not exists ${escapeIdentifier(c.column)} text`).join(', ')}`,
    );
}

/** The table's columns with their types and primary-key membership; undefined when there is no table. */
async function readTableColumns(db: Queryable, layout: TableLayout): Promise<ColumnRow[] | undefined> {
  const { rows: found } = await db.query<{ oid: string | null }>('select to_regclass($1)::oid as oid', [layout.sql]);
  const oid = found[0]?.oid;
  if (oid === null || oid === undefined) return undefined;
  const { rows } = await db.query<ColumnRow>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
            coalesce(a.attnum = any(i.indkey), false) as "inPrimaryKey"
       from pg_attribute a left join pg_index i on i.indrelid = a.attrelid and i.indisprimary
      where a.attrelid = $1::oid and a.attnum > 0 and not a.attisdropped`,
    [oid],
  );
  return rows;
}

async function createTable(db: Queryable, layout: TableLayout): Promise<void> {
  const fields = layout.fieldColumns.map((c) => `${escapeIdentifier(c.column)} text,`).join(' ');
  const table = layout.name.split('.').at(-1)!;
  const index = escapeIdentifier(`${table.slice(0, 40)}_segment_subject_idx`);
  await db.query(
    `create table if not exists ${layout.sql} (
       segment text not null, person_id bigint not null, subject_type text not null, subject_id bigint not null,
       ${fields} updated_at timestamptz not null default now(), primary key (segment, person_id))`,
  );
  await db.query(`create index if not exists ${index} on ${layout.sql} (segment, subject_id)`);
}

function keyColumnProblems(columns: readonly ColumnRow[]): string[] {
  const problems: string[] = [];
  for (const [name, type] of Object.entries(KEY_COLUMNS)) {
    const column = columns.find((c) => c.name === name);
    if (column === undefined) problems.push(`column ${name} is missing`);
    else if (column.type !== type) problems.push(`column ${name} is ${column.type}, not ${type}`);
  }
  const key = columns.filter((c) => c.inPrimaryKey).map((c) => c.name);
  if (key.length !== 2 || !key.includes('segment') || !key.includes('person_id'))
    problems.push(`the primary key is (${key.join(', ') || 'none'}), not (segment, person_id)`);
  return problems;
}
