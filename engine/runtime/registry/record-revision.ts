import type { ResourceDocument, ResourceKind } from '../../config/resource';
import type { Queryable } from '../queryable';
import { sandboxSchema } from '../sandbox-schema';
import type { AppliedResource } from './applied-resource';
import { tryReadAppliedResource } from './read-registry';

/** One change to the registry, as a provider makes it. */
export interface RegistryWrite {
  operation: 'create' | 'update' | 'replace' | 'delete';
  kind: ResourceKind;
  name: string;
  /** Absent for deletes. */
  document?: ResourceDocument;
  specHash?: string;
  sourceFile?: string;
  managedBy: 'pulumi' | 'roster';
  appliedBy: string;
  gitCommit?: string;
  configRoot?: string;
}

/**
 * Writes the current row and appends the next revision, in the caller's transaction. The next
 * revision number is taken under a per-resource transaction lock, so concurrent writers (two
 * providers, a retried call) can neither skip nor repeat a number.
 */
export async function recordRevision(
  client: Queryable,
  sandbox: string,
  write: RegistryWrite,
): Promise<AppliedResource | undefined> {
  const schema = sandboxSchema(sandbox);
  await client.query('select pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
    schema,
    `${write.kind}/${write.name}`,
  ]);
  const { rows } = await client.query<{ next: number }>(
    `select coalesce(max(revision), 0) + 1 as next from ${schema}.resource_revisions where kind = $1 and name = $2`,
    [write.kind, write.name],
  );
  const revision = rows[0]!.next;
  const isDelete = write.operation === 'delete';
  await client.query(
    `insert into ${schema}.resource_revisions
       (kind, name, revision, operation, spec_hash, document, source_file, managed_by, applied_at, applied_by, git_commit, config_root)
     values ($1, $2, $3, $4, $5, $6, $7, $8, now(), $9, $10, $11)`,
    [
      write.kind,
      write.name,
      revision,
      write.operation,
      isDelete ? null : write.specHash,
      isDelete ? null : write.document,
      write.sourceFile ?? null,
      write.managedBy,
      write.appliedBy,
      write.gitCommit ?? null,
      write.configRoot ?? null,
    ],
  );
  if (isDelete) {
    await client.query(`delete from ${schema}.resources where kind = $1 and name = $2`, [write.kind, write.name]);
  } else {
    await client.query(
      `insert into ${schema}.resources (kind, name, revision, spec_hash, document, source_file, managed_by, applied_at, applied_by, git_commit, config_root)
       values ($1, $2, $3, $4, $5, $6, $7, now(), $8, $9, $10)
       on conflict (kind, name) do update set revision = excluded.revision, spec_hash = excluded.spec_hash, document = excluded.document,
         source_file = excluded.source_file, managed_by = excluded.managed_by, applied_at = excluded.applied_at,
         applied_by = excluded.applied_by, git_commit = excluded.git_commit, config_root = excluded.config_root`,
      [
        write.kind,
        write.name,
        revision,
        write.specHash,
        write.document,
        write.sourceFile ?? null,
        write.managedBy,
        write.appliedBy,
        write.gitCommit ?? null,
        write.configRoot ?? null,
      ],
    );
  }
  return isDelete ? undefined : tryReadAppliedResource(client, sandbox, write.kind, write.name);
}
