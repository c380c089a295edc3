import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolveSecret } from '../config/resolve-secret';
import { type PushResult, pushRecords } from '../ingest/push-records';
import { SourceRunError } from '../ingest/source-run-error';
import { afterIngest } from '../jobs/after-ingest';
import { readAppliedConfig } from '../runtime/registry/read-applied-config';
import { bearerMatches } from './bearer-token';
import { readBody, sendJson } from './http-helpers';
import type { ServerContext } from './server-context';

/** Largest request body accepted, whatever the source's limits (a guard before parsing). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reasons shown in the log line of a batch with bad records (the answer and the quarantine hold all). */
const LOGGED_REASONS = 3;

/**
 * `POST /v1/sources/<name>/batches`: authenticated JSON batches for an http source. The body is
 * `{ "records": [...] }` (optionally `"object"`), or a bare array. Answers only after the batch is
 * committed and its streaming segments evaluated (`afterIngest`, as every ingest run): 200 with the counts and every rejected record (index, field, reason) when it was
 * stored, bad records quarantined; 422 with the same when its bad records passed the source's error
 * ratio and nothing was written. 401 without the source's bearer token, 400 for a malformed body,
 * 413 over the batch limit, 404 for an unknown source; none of those writes anything.
 */
export async function handlePush(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServerContext,
  sourceName: string,
): Promise<void> {
  const config = await readAppliedConfig(context.pool, context.sandbox);
  const source = config.sources.get(sourceName);
  if (source?.spec.type !== 'http')
    return sendJson(response, 404, {
      error: 'unknown_source',
      message: `no http source "${sourceName}" is applied to sandbox ${context.sandbox}`,
    });
  const expected = resolveSecret(source.spec.http!.token, context.env, `Source/${sourceName} (http.token)`);
  if (!bearerMatches(request.headers.authorization, expected)) {
    const message = 'send the source token as "Authorization: Bearer <token>"';
    return sendJson(response, 401, { error: 'unauthorized', message }, { 'www-authenticate': 'Bearer' });
  }
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === undefined)
    return sendJson(response, 413, {
      error: 'too_large',
      message: `request body over ${MAX_BODY_BYTES} bytes; send smaller batches`,
    });
  const parsed = parseBatch(body);
  if ('error' in parsed) return sendJson(response, 400, { error: 'malformed', message: parsed.error });
  const limit = source.spec.http!.maxBatchRecords ?? 1000;
  if (parsed.records.length > limit)
    return sendJson(response, 413, {
      error: 'too_many_records',
      message: `${parsed.records.length} records in one batch; this source accepts at most ${limit}`,
    });
  try {
    const started = Date.now();
    const result = await pushRecords(context.pool, context.sandbox, sourceName, parsed.object, parsed.records);
    // Events resolve their person inside the ingest transaction (decision 21) and change no profile:
    // stitching after an event batch would only rescan the sandbox, on the streaming hot path.
    await afterIngest(context.pool, context.sandbox, result, { stitch: result.entity !== 'event' });
    context.log(logEntry(sourceName, result, Date.now() - started));
    sendJson(response, result.status === 'succeeded' ? 200 : 422, answerOf(result));
  } catch (error) {
    if (error instanceof SourceRunError)
      return sendJson(response, 400, { error: 'invalid_batch', message: error.message });
    throw error;
  }
}

/** The answer to a batch that was run: counts, every rejected record, and why a failed one failed. */
function answerOf(result: PushResult) {
  const failure =
    result.status === 'succeeded' ? undefined : result.ratioExceeded ? 'error_ratio_exceeded' : 'batch_failed';
  return {
    runId: result.runId,
    status: result.status,
    ...(failure ? { error: failure, message: result.error } : {}),
    received: result.received,
    accepted: result.written + result.unchanged,
    quarantined: result.quarantined,
    rejected: result.rejected,
  };
}

/**
 * One JSON log line per batch run: the source, its counts, the first reasons, and how long the run
 * took (`milliseconds`, which `/metrics` turns into `roster_push_batch_duration_seconds`).
 */
function logEntry(source: string, result: PushResult, milliseconds: number): Record<string, unknown> {
  return {
    level: result.status === 'failed' ? 'error' : result.quarantined > 0 ? 'warn' : 'info',
    msg: 'batch pushed',
    source,
    runId: result.runId,
    status: result.status,
    received: result.received,
    accepted: result.written + result.unchanged,
    quarantined: result.quarantined,
    ...(result.rejected.length > 0
      ? { reasons: result.rejected.slice(0, LOGGED_REASONS).map((r) => `#${r.index}: ${r.reason}`) }
      : {}),
    ...(result.error ? { error: result.error } : {}),
    milliseconds,
  };
}

function parseBatch(body: Buffer): { records: unknown[]; object?: string } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return {
      error: `the body is not valid JSON (${error instanceof Error ? error.message : String(error)}); send {"records": [...]}`,
    };
  }
  if (Array.isArray(value)) return { records: value };
  const batch = value as { records?: unknown; object?: unknown };
  if (typeof value !== 'object' || value === null || !Array.isArray(batch.records))
    return { error: 'the body must be {"records": [...]} (or a JSON array of records)' };
  if (batch.object !== undefined && typeof batch.object !== 'string')
    return { error: '"object" must be a string naming one of the source\'s objects' };
  return { records: batch.records, ...(typeof batch.object === 'string' ? { object: batch.object } : {}) };
}
