import type { ResourceKey } from '../config/resource';
import type { AppliedResource } from '../runtime/registry/applied-resource';
import { contentHash } from '../util/canonical-json';
/** A resource whose runtime state is not what the last `roster apply` of it left. */
import type { DriftedResource } from './drifted-resource';
import type { PlannedAction } from './plan';

export type { DriftedResource };

/** The journal's last confirmed operation on a resource (see `readRecordedOperations`). */
export interface RecordedState {
  key: ResourceKey;
  operation: PlannedAction;
  specHash: string | null;
  applyId: string;
}

/**
 * Pure: the resources changed outside Roster. A resource drifted when the document the registry
 * holds is not the one the last apply of it recorded in the journal (someone edited the row with
 * SQL, or another tool such as `pulumi up` applied it), when it was deleted or re-created outside
 * Roster, or, with no journal entry (applied by another tool), when its document no longer matches
 * the spec hash written with it.
 */
export function findDrift(applied: readonly AppliedResource[], recorded: readonly RecordedState[]): DriftedResource[] {
  const byKey = new Map(recorded.map((r) => [r.key, r]));
  const drift: DriftedResource[] = [];
  for (const row of applied) {
    const key = `${row.kind}/${row.name}` as ResourceKey;
    const last = byKey.get(key);
    const hash = contentHash(row.document);
    const by = row.managedBy === 'pulumi' ? ' by pulumi' : '';
    if (last?.operation === 'delete')
      drift.push({
        key,
        reason: `applied again outside Roster${by} (revision ${row.revision}) after apply ${last.applyId} deleted it`,
      });
    else if (last && last.specHash !== hash)
      drift.push({
        key,
        reason: `revision ${row.revision}${by} holds another document than apply ${last.applyId} recorded${hash !== row.specHash ? ' (edited in the database)' : ''}`,
      });
    else if (!last && hash !== row.specHash)
      drift.push({
        key,
        reason: `revision ${row.revision}'s document was edited in the database (it no longer matches its spec hash)`,
      });
  }
  const present = new Set(applied.map((row) => `${row.kind}/${row.name}`));
  for (const last of recorded)
    if (last.operation !== 'delete' && !present.has(last.key))
      drift.push({ key: last.key, reason: `deleted outside Roster after apply ${last.applyId} wrote it` });
  return drift;
}
