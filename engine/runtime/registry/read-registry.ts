import type { ResourceKind } from '../../config/resource';
import type { Queryable } from '../queryable';
import { sandboxSchema } from '../sandbox-schema';
import type { AppliedResource } from './applied-resource';

const COLUMNS = `kind, name, revision, spec_hash as "specHash", document, source_file as "sourceFile",
  managed_by as "managedBy", to_char(applied_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "appliedAt",
  applied_by as "appliedBy", git_commit as "gitCommit", config_root as "configRoot"`;

/** Every applied resource of the sandbox, by kind then name. */
export async function readAppliedResources(db: Queryable, sandbox: string): Promise<AppliedResource[]> {
  const { rows } = await db.query<AppliedResource>(
    `select ${COLUMNS} from ${sandboxSchema(sandbox)}.resources order by kind, name`,
  );
  return rows;
}

/** The applied resource `kind/name`, or undefined when it is not applied. */
export async function tryReadAppliedResource(
  db: Queryable,
  sandbox: string,
  kind: ResourceKind,
  name: string,
): Promise<AppliedResource | undefined> {
  const { rows } = await db.query<AppliedResource>(
    `select ${COLUMNS} from ${sandboxSchema(sandbox)}.resources where kind = $1 and name = $2`,
    [kind, name],
  );
  return rows[0];
}

/**
 * What checking one applied segment needs, and nothing more: the segment's row, the sources (the
 * attribute catalog is built from their custom fields) and the destinations that activate it.
 * A `segment.evaluate` job reads this instead of every row of a registry of 1,000 segments.
 */
export async function readSegmentRegistryRows(
  db: Queryable,
  sandbox: string,
  segment: string,
): Promise<AppliedResource[]> {
  const { rows } = await db.query<AppliedResource>(
    `select ${COLUMNS} from ${sandboxSchema(sandbox)}.resources
     where (kind = 'Segment' and name = $1) or kind = 'Source'
        or (kind = 'Destination' and document->'spec'->'segments' @> jsonb_build_array(jsonb_build_object('segment', $1::text)))
     order by kind, name`,
    [segment],
  );
  return rows;
}
