import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { MarketoError } from './marketo-error';
import type { MarketoTransport } from './marketo-transport';

/** The bulk extract object types, as they appear in the endpoint path `/bulk/v1/{kind}/export`. */
export type BulkExportKind = 'leads' | 'activities' | 'program/members';

/** The body of a create-export call. */
export interface BulkExportRequest {
  /** Columns of the file; Marketo's default set when left out (activities). */
  fields?: string[];
  format: 'CSV';
  /** One filter type per job, e.g. `{ updatedAt: { startAt, endAt } }` or `{ programId: 1001 }`. */
  filter: Record<string, unknown>;
}

/** An export job as the status endpoint describes it. */
export interface BulkExportJob {
  exportId: string;
  status: 'Created' | 'Queued' | 'Processing' | 'Completed' | 'Failed' | 'Cancelled';
  errorMsg?: string;
  numberOfRecords?: number;
  fileSize?: number;
}

/** How the job is waited for. */
export interface BulkJobTiming {
  /** Pause between two status polls (each poll is a call against the rate limit). */
  pollIntervalMs: number;
  /** Longest wait for a job to complete; the job is then cancelled, freeing its queue place. */
  jobTimeoutMs: number;
}

/**
 * Runs one bulk export job to its end: create, enqueue, poll the status until Completed, then
 * download the file as a stream. Throws a `MarketoError` when the job fails, is cancelled or
 * outlasts `jobTimeoutMs`; a failed job cannot be resumed, only created again.
 */
export async function runBulkExport(
  transport: MarketoTransport,
  job: { kind: BulkExportKind; request: BulkExportRequest },
  timing: BulkJobTiming,
): Promise<Readable> {
  const base = `/bulk/v1/${job.kind}/export`;
  const created = await transport.callJson<BulkExportJob>('POST', `${base}/create.json`, { body: job.request });
  const exportId = created.result?.[0]?.exportId;
  if (exportId === undefined) {
    throw new MarketoError(
      'BAD_ANSWER',
      `Marketo POST ${base}/create.json answered without an exportId; run again, and quote requestId ${created.requestId} to Marketo support if it persists`,
      { requestId: created.requestId },
    );
  }
  const jobPath = `${base}/${exportId}`;
  await transport.callJson('POST', `${jobPath}/enqueue.json`);
  await waitForCompletion(transport, jobPath, timing);
  return transport.download(`${jobPath}/file.json`);
}

/** Polls `{jobPath}/status.json` until the job completes; throws when it fails, is cancelled or times out. */
async function waitForCompletion(transport: MarketoTransport, jobPath: string, timing: BulkJobTiming): Promise<void> {
  const deadline = Date.now() + timing.jobTimeoutMs;
  // `/bulk/v1/leads/export/abc` -> `Marketo leads export job abc`
  const what = `Marketo ${jobPath.replace(/^\/bulk\/v1\/(.+)\/export\/(.+)$/, '$1 export job $2')}`;
  for (;;) {
    const answer = await transport.callJson<BulkExportJob>('GET', `${jobPath}/status.json`);
    const job = answer.result?.[0];
    if (job === undefined) throw new MarketoError('BAD_ANSWER', `${what}: the status answer holds no job; run again`);
    if (job.status === 'Completed') return;
    if (job.status === 'Failed') {
      throw new MarketoError(
        'EXPORT_FAILED',
        `${what} failed: ${job.errorMsg ?? 'no reason given'}; a failed job cannot be resumed: run the ingest again to create a new one`,
      );
    }
    if (job.status === 'Cancelled') {
      throw new MarketoError(
        'EXPORT_CANCELLED',
        `${what} was cancelled (by a user or another integration); run the ingest again to create a new one`,
      );
    }
    if (Date.now() + timing.pollIntervalMs > deadline) {
      await cancelQuietly(transport, jobPath);
      throw new MarketoError(
        'EXPORT_TIMEOUT',
        `${what} was still ${job.status} after ${timing.jobTimeoutMs} ms and was cancelled; Marketo runs 2 export jobs at a time per instance, so other integrations may be ahead: run again later or raise jobTimeoutMs`,
      );
    }
    await sleep(timing.pollIntervalMs);
  }
}

/** Cancels a job we gave up on, so it stops holding one of the instance's 10 queue places. */
async function cancelQuietly(transport: MarketoTransport, jobPath: string): Promise<void> {
  try {
    await transport.callJson('POST', `${jobPath}/cancel.json`);
  } catch {
    // The timeout is the error to report; a failed cancel only means the job ends on its own.
  }
}
