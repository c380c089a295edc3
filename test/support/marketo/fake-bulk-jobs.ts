import { randomUUID } from 'node:crypto';
import { EXTRACT_FILES, type ExportKind } from './marketo-fixture-files';

/** Marketo's limit on one date filter. */
const MAX_FILTER_MS = 31 * 24 * 60 * 60 * 1000;

/** An export job as the fake keeps it; tests read these to check what the client asked for. */
export interface FakeJob {
  exportId: string;
  kind: ExportKind;
  /** The create body as received: `{ fields, format, filter }`. */
  request: { fields?: string[]; format?: string; filter?: Record<string, unknown> };
  status: 'Created' | 'Queued' | 'Processing' | 'Completed' | 'Failed' | 'Cancelled';
  /** Status polls received so far. */
  statusPolls: number;
  /** The fixture file this job's file.json serves. */
  file: string;
  createdAt: string;
}

/** What an operation answers: a result for a success body, or a Marketo error key. */
export type JobAnswer = { result: Record<string, unknown>[] } | { error: string; message?: string };

/**
 * The bulk extract side of the fake Marketo: create, enqueue, status (several polls before the
 * outcome) and file, with the documented checks (CSV only, one filter, date ranges of at most
 * 31 days, at most 10 jobs queued).
 */
export class FakeBulkJobs {
  /** Every job created, in order. */
  readonly jobs: FakeJob[] = [];

  constructor(
    private readonly pollsBeforeDone: number,
    private readonly outcome: 'Completed' | 'Failed' | 'Cancelled',
  ) {}

  /** Answers `op` (create, enqueue, status or cancel) on a job of `kind`; `body` is the create body. */
  operate(job: { kind: ExportKind; exportId?: string; op: string }, body: string): JobAnswer {
    if (job.op === 'create') return this.create(job.kind, body);
    const exportId = job.exportId ?? '';
    if (job.op === 'enqueue') return this.enqueue(job.kind, exportId);
    if (job.op === 'cancel') return this.cancel(job.kind, exportId);
    return this.status(job.kind, exportId);
  }

  create(kind: ExportKind, body: string): JobAnswer {
    let request: FakeJob['request'];
    try {
      request = JSON.parse(body) as FakeJob['request'];
    } catch {
      return { error: '1003', message: 'Invalid JSON body' };
    }
    const problem = checkRequest(kind, request);
    if (problem !== undefined) return { error: '1003', message: problem };
    const files = EXTRACT_FILES[kind];
    const file = files[this.jobs.filter((job) => job.kind === kind).length % files.length]!;
    const job: FakeJob = {
      exportId: randomUUID(),
      kind,
      request,
      status: 'Created',
      statusPolls: 0,
      file,
      createdAt: now(),
    };
    this.jobs.push(job);
    return { result: [describeJob(job)] };
  }

  enqueue(kind: ExportKind, exportId: string): JobAnswer {
    const job = this.find(kind, exportId);
    if (job === undefined) return { error: '1003', message: `Export id ${exportId} not found` };
    if (job.status !== 'Created') return { error: '1003', message: `Job already ${job.status}` };
    const queued = this.jobs.filter((other) => other.status === 'Queued' || other.status === 'Processing').length;
    if (queued >= 10) return { error: '1029 queue' };
    job.status = 'Queued';
    return { result: [describeJob(job)] };
  }

  status(kind: ExportKind, exportId: string): JobAnswer {
    const job = this.find(kind, exportId);
    if (job === undefined) return { error: '1003', message: `Export id ${exportId} not found` };
    if (job.status === 'Queued' || job.status === 'Processing') {
      job.statusPolls++;
      job.status =
        job.statusPolls > this.pollsBeforeDone ? this.outcome : job.statusPolls === 1 ? 'Queued' : 'Processing';
    }
    const described = describeJob(job);
    if (job.status === 'Failed') described.errorMsg = 'Export failed: internal error while writing the file';
    return { result: [described] };
  }

  /** The fixture file to serve for `exportId`, or an error when the job is not Completed. */
  file(kind: ExportKind, exportId: string): { file: string } | { error: string; message: string } {
    const job = this.find(kind, exportId);
    if (job === undefined) return { error: '1003', message: `Export id ${exportId} not found` };
    if (job.status !== 'Completed') return { error: '1003', message: `Job not completed (status ${job.status})` };
    return { file: job.file };
  }

  cancel(kind: ExportKind, exportId: string): JobAnswer {
    const job = this.find(kind, exportId);
    if (job === undefined) return { error: '1003', message: `Export id ${exportId} not found` };
    job.status = 'Cancelled';
    return { result: [describeJob(job)] };
  }

  private find(kind: ExportKind, exportId: string): FakeJob | undefined {
    return this.jobs.find((job) => job.kind === kind && job.exportId === exportId);
  }
}

function checkRequest(kind: ExportKind, request: FakeJob['request']): string | undefined {
  if (request.format !== 'CSV') return `format must be CSV here, got ${request.format}`;
  const filterNames = Object.keys(request.filter ?? {}).filter((name) => name !== 'activityTypeIds');
  if (filterNames.length !== 1) return `exactly one filter type is allowed, got ${filterNames.join(', ') || 'none'}`;
  if (kind === 'leads' && !request.fields?.length) return 'fields is required for lead exports';
  const range = request.filter?.[filterNames[0]!] as { startAt?: string; endAt?: string } | undefined;
  if (filterNames[0] === 'createdAt' || filterNames[0] === 'updatedAt') {
    const start = Date.parse(range?.startAt ?? '');
    const end = Date.parse(range?.endAt ?? '');
    if (Number.isNaN(start) || Number.isNaN(end)) return 'startAt and endAt must be ISO 8601 datetimes';
    if (end - start > MAX_FILTER_MS) return 'Date range must be 31 days or fewer';
  }
  return undefined;
}

function describeJob(job: FakeJob): Record<string, unknown> {
  return { exportId: job.exportId, format: 'CSV', status: job.status, createdAt: job.createdAt };
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}
