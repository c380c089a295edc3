import type { ProvenanceNode } from './condition-ast';
import type { SqlBuilder } from './sql-builder';

/** The rows that make a provenance condition hold for the profile `alias`: for the predicate and for `explain`. */
export interface ProvenanceSql {
  from: string;
  filters: string[];
  /** How `explain` names a matching row. */
  label: string;
}

/** Source records and the profile column that points at their profile. */
const RECORDS = {
  person: { table: 'person_records', profile: 'person_id' },
  account: { table: 'account_records', profile: 'account_id' },
} as const;

/**
 * `fromSource` reads the profile's records (each keeps the name of the source that wrote it);
 * `hasIdentity` the identities of those records, which were normalised and blocklisted at ingest,
 * so a junk value is no identity here either. Both start from the profile's own records (an index
 * on the profile id), never from every record of a source.
 */
export function provenanceSql(schema: string, node: ProvenanceNode, alias: string, sql: SqlBuilder): ProvenanceSql {
  const records = RECORDS[node.subject];
  const r = sql.alias('rec');
  const source = `${r}.source_name || ' ' || ${r}.source_object || '/' || ${r}.source_key`;
  const filters = [`${r}.${records.profile} = ${alias}.id`];
  if (node.kind === 'fromSource') {
    filters.push(`${r}.source_name = ${sql.param(node.name, 'text')}`);
    return { from: `${schema}.${records.table} ${r}`, filters, label: source };
  }
  const i = sql.alias('ri');
  filters.push(`${i}.namespace = ${sql.param(node.name, 'text')}`);
  return {
    from: `${schema}.${records.table} ${r} join ${schema}.record_identities ${i} on ${i}.entity = '${node.subject}' and ${i}.record_id = ${r}.id`,
    filters,
    label: `${i}.namespace || ':' || ${i}.value || ' (' || ${source} || ')'`,
  };
}

/** The predicate: EXISTS over the profile's matching records. */
export function compileProvenance(schema: string, node: ProvenanceNode, alias: string, sql: SqlBuilder): string {
  const { from, filters } = provenanceSql(schema, node, alias, sql);
  return `exists (select 1 from ${from} where ${filters.join(' and ')})`;
}
