import { DeliveryError } from '../../connector';
import { TableLayoutError } from './ensure-table';

/** Which destination and table a failure concerns; `url` is only used to keep it out of messages. */
export interface TableTarget {
  destination: string;
  table: string;
  url: string;
}

/** SQLSTATE classes a later attempt may not get: connection (08), resources (53), shutdown (57), rollback (40). */
const RETRYABLE_CLASSES = ['08', '53', '57', '40'];
/** Node's connection failures (no SQLSTATE); a missing host (`ENOTFOUND`) is not among them. */
const RETRYABLE_NETWORK = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
];

/** What the user must do, by SQLSTATE (or Node error code), when retrying will not help. */
const FIXES: Record<string, string> = {
  '42501':
    'grant the user of postgresTable.url select, insert, update and delete on the table (and create on its schema, so Roster can create or extend it)',
  '42P01': 'create the table, or let Roster create it: grant the user of postgresTable.url create on the schema',
  '3F000': 'create the schema, or name an existing one in postgresTable.table',
  '42703': 'add the column, or let Roster add it: make the user of postgresTable.url the owner of the table',
  '28P01': 'check the user and password in the secret of postgresTable.url',
  '28000': 'check the user in the secret of postgresTable.url and the pg_hba.conf of the server',
  '3D000': 'check the database name in the secret of postgresTable.url',
  ENOTFOUND: 'check the host in the secret of postgresTable.url',
};

/**
 * A failure as a delivery error naming the destination and the table, never the URL (it holds the
 * password): lost connections, overload, deadlocks and serialization failures are retried;
 * permission, missing-object and layout problems are not, and say what to do.
 */
export function tableDeliveryError(target: TableTarget, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const where = `Destination/${target.destination} (table ${target.table})`;
  const reason = redactUrl(error instanceof Error ? error.message : String(error), target.url);
  const cause = safeCause(error, target.url, reason);
  if (error instanceof TableLayoutError) return new DeliveryError(`${where}: ${reason}`, { retryable: false, cause });
  const code = (error as { code?: unknown }).code;
  const fix = typeof code === 'string' ? FIXES[code] : undefined;
  if (fix !== undefined) return new DeliveryError(`${where}: ${reason}; ${fix}`, { retryable: false, cause });
  const retryable =
    typeof code !== 'string' || // "Connection terminated unexpectedly", timeouts: pg gives no code
    RETRYABLE_CLASSES.includes(code.slice(0, 2)) ||
    code === '55P03' || // lock_not_available
    RETRYABLE_NETWORK.includes(code);
  return new DeliveryError(`${where}: ${reason}`, { retryable, cause });
}

/** `text` with the URL, and its password wherever it appears alone, replaced by `[redacted]`. */
export function redactUrl(text: string, url: string): string {
  let redacted = text.replaceAll(url, '[redacted]');
  const password = passwordOf(url);
  if (password !== undefined && password.length >= 4) redacted = redacted.replaceAll(password, '[redacted]');
  return redacted;
}

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined; // not a URL (a key=value connection string): only the whole text is redacted
  }
}

/** The original error as `cause`, unless any of its text holds the URL (Node's `Invalid URL` keeps it as `input`). */
function safeCause(error: unknown, url: string, reason: string): unknown {
  const texts = error instanceof Error ? [error.stack ?? '', ...Object.values(error).map(String)] : [String(error)];
  return texts.some((text) => redactUrl(text, url) !== text) ? new Error(reason) : error;
}
