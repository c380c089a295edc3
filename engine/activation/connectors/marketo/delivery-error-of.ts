import { MarketoError } from '../../../vendors/marketo/marketo-error';
import { DeliveryError } from '../../connector';
import type { DailyCallBudget } from './daily-call-budget';

/** Where a failed call belonged, for the message: `Destination/acme-marketo`, its segment and list. */
export interface ListCallSite {
  destination: string;
  segment: string;
  listId: number;
}

/**
 * Codes worth retrying later: the transport already retried them (606, 615, 5xx, no answer) or
 * Marketo documents them as transient (604, 608, 611, 713), so the instance may be back later.
 */
const TRANSIENT = new Set(['NETWORK_ERROR', 'BAD_ANSWER', '604', '606', '608', '611', '614', '615', '713']);

/**
 * The `DeliveryError` for a failure of a Marketo destination's call. Marketo's 607 (daily quota
 * reached) is retryable after midnight America/Chicago and stops the instance's calls until then;
 * 1013 means the bound static list does not exist; limits, timeouts and outages that outlasted the
 * transport's retries are retryable; anything else fails the batch with Marketo's message.
 * Errors that are not Marketo's (a bug) are returned unchanged.
 */
export async function deliveryErrorOf(error: unknown, site: ListCallSite, budget: DailyCallBudget): Promise<unknown> {
  if (error instanceof DeliveryError || !(error instanceof MarketoError)) return error;
  const where = `${site.destination} (segment ${site.segment} -> static list ${site.listId})`;
  if (error.code === '607') return budget.spentAtMarketo(error);
  if (error.code === '1013') {
    return new DeliveryError(
      `${where}: static list ${site.listId} does not exist in Marketo (1013${requestIdOf(error)}): fix listId of segment ${site.segment}; it is the number in the list's URL (Marketo > Database > the list)`,
      { retryable: false, cause: error },
    );
  }
  if (isTransient(error.code)) {
    return new DeliveryError(`${where}: ${error.message}`, { retryable: true, cause: error });
  }
  if (error.code === '603') {
    // The transport's advice names the read permissions an ingest needs; a list needs write access.
    return new DeliveryError(
      `${where}: Marketo denied access (603): give the API user's role the Read-Write Lead permission, which lookups and list membership need`,
      { retryable: false, cause: error },
    );
  }
  // The transport's message already says what to do (credentials, endpoint, Marketo's reason).
  return new DeliveryError(`${where}: ${error.message}`, { retryable: false, cause: error });
}

/** A cancelled delivery (shutdown), retried by whoever runs next. */
export function cancelledDelivery(site: ListCallSite, reason: unknown): DeliveryError {
  return new DeliveryError(`${site.destination} (segment ${site.segment}): delivery cancelled before it ended`, {
    retryable: true,
    cause: reason,
  });
}

function requestIdOf(error: MarketoError): string {
  return error.requestId === undefined ? '' : `, requestId ${error.requestId}`;
}

function isTransient(code: string): boolean {
  const status = Number(code);
  // HTTP statuses of non-Marketo answers: 5xx are outages (already retried by the transport).
  if (Number.isInteger(status) && status >= 500 && status < 600) return true;
  return TRANSIENT.has(code);
}
