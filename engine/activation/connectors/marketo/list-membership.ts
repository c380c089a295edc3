import type { MarketoTransport } from '../../../vendors/marketo/marketo-transport';
import { pageThrough } from '../../../vendors/marketo/page-through';

/** Most lead ids Marketo takes in one Add to List or Remove from List call. */
export const MAX_LIST_IDS = 300;

/** What Marketo did with one lead id of an add or remove call. */
export interface LeadOutcome {
  /** The lead is now in (add) or out of (remove) the list. */
  ok: boolean;
  /** Marketo's reason when it skipped the lead, e.g. `1004 Lead not found`. */
  reason?: string;
}

/** One entry of a list operation's `result`. */
interface LeadStatus {
  id: number;
  status: string;
  reasons?: { code: string | number; message?: string }[];
}

/** A list member as Get Leads by List Id returns it with `fields=id,email` (and `ecids` when asked). */
export interface ListMember {
  id: number;
  email?: string | null;
  /** The Adobe ECIDs synced to the lead: a list, or one comma-separated text. */
  ecids?: string[] | string | null;
}

/**
 * Adds `leadIds` to static list `listId` (Add to List, `POST /rest/v1/lists/{listId}/leads.json`)
 * or removes them (Remove from List, `DELETE` on the same path), in calls of at most 300 ids sent
 * as `{"input":[{"id":N}]}`, and returns what Marketo did with each id. Both operations are
 * idempotent, so a batch sent again after a failure does no harm.
 */
export async function changeListMembers(
  transport: MarketoTransport,
  change: { listId: number; operation: 'add' | 'remove' },
  leadIds: readonly number[],
): Promise<Map<number, LeadOutcome>> {
  const ids = [...new Set(leadIds)];
  const calls: Promise<LeadStatus[]>[] = [];
  for (let start = 0; start < ids.length; start += MAX_LIST_IDS) {
    const input = ids.slice(start, start + MAX_LIST_IDS).map((id) => ({ id }));
    const method = change.operation === 'add' ? 'POST' : 'DELETE';
    calls.push(
      transport
        .callJson<LeadStatus>(method, `/rest/v1/lists/${change.listId}/leads.json`, { body: { input } })
        .then((answer) => answer.result ?? []),
    );
  }
  const statuses = new Map((await Promise.all(calls)).flat().map((status) => [Number(status.id), status]));
  return new Map(ids.map((id) => [id, outcomeOf(statuses.get(id), change.operation)]));
}

/**
 * The members of static list `listId` (Get Leads by List Id, `GET /rest/v1/lists/{listId}/leads.json`,
 * the path current docs give; older ones spell it `/rest/v1/list/{listId}/leads.json`), 300 per page.
 */
export function readListMembers(
  transport: MarketoTransport,
  listId: number,
  options: { ecids: boolean } = { ecids: false },
): AsyncGenerator<ListMember[]> {
  return pageThrough<ListMember>(transport, `/rest/v1/lists/${listId}/leads.json`, {
    fields: options.ecids ? 'id,email,ecids' : 'id,email',
    batchSize: MAX_LIST_IDS,
  });
}

/**
 * One lead's outcome. Removing a lead that is not in the list (1015) or no longer exists (1004)
 * leaves it out of the list as asked, so both count as done: removal is idempotent.
 */
function outcomeOf(status: LeadStatus | undefined, operation: 'add' | 'remove'): LeadOutcome {
  if (status === undefined) return { ok: false, reason: 'Marketo returned no status for this lead' };
  if (status.status === (operation === 'add' ? 'added' : 'removed')) return { ok: true };
  const reasons = status.reasons ?? [];
  const codes = reasons.map((reason) => String(reason.code));
  if (operation === 'remove' && codes.length > 0 && codes.every((code) => code === '1015' || code === '1004')) {
    return { ok: true };
  }
  const said = reasons.map((reason) => `${reason.code} ${reason.message ?? ''}`.trim()).join('; ');
  return { ok: false, reason: `${status.status}${said === '' ? '' : ` (${said})`}` };
}
