import type { ActivationChange, ActivationMember, DeliveryContext, FieldValue } from '../../connector';
import type { ExportMode } from './export-file-name';

/** One line of an export: values in the order of `exportColumns`. */
export type ExportRecord = FieldValue[];

const CHANGE_COLUMNS = ['change', 'subjectType', 'subjectId', 'changedAt', 'idempotencyKey'];

/**
 * The columns of an export, also the keys of NDJSON objects: for incremental exports the change's
 * columns first, then `personId` and the destination's fields as written (`email`, `account.name`).
 */
export function exportColumns(mode: ExportMode, fields: readonly string[]): string[] {
  return [...(mode === 'incremental' ? CHANGE_COLUMNS : []), 'personId', ...fields];
}

/** The current members of the segment, page by page, as snapshot records. */
export async function* snapshotRecords(
  segment: string,
  fields: readonly string[],
  context: DeliveryContext,
): AsyncGenerator<ExportRecord[]> {
  for await (const page of context.currentMembers(segment)) {
    if (context.signal.aborted) throw context.signal.reason;
    yield page.map((member) => memberValues(member, fields));
  }
}

/**
 * The batch's changes, one record per activated member (an account change has one per person).
 * A change without members (a merged-away person, an account with no activated person) still gets
 * one record with an empty `personId`, so a reader of the changes does not miss an exit.
 */
export async function* changeRecords(
  changes: readonly ActivationChange[],
  fields: readonly string[],
): AsyncGenerator<ExportRecord[]> {
  for (const change of changes) {
    const head = [change.change, change.subjectType, change.subjectId, change.changedAt, change.idempotencyKey];
    yield change.members.length > 0
      ? change.members.map((member) => [...head, ...memberValues(member, fields)])
      : [[...head, null, ...fields.map(() => null)]];
  }
}

function memberValues(member: ActivationMember, fields: readonly string[]): ExportRecord {
  return [member.personId, ...fields.map((field) => member.fields[field] ?? null)];
}
