import type { Readable } from 'node:stream';
import { type BulkExportKind, type BulkExportRequest, type BulkJobTiming, runBulkExport } from './bulk-export-job';
import type { CallGate } from './call-limiter';
import { type DateWindow, MAX_WINDOW_DAYS, splitDateWindows } from './date-windows';
import { type MarketoClientOptions, resolveClientSettings } from './marketo-client-options';
import { MarketoError } from './marketo-error';
import { MarketoTransport, type Query } from './marketo-transport';
import { pageThrough } from './page-through';

/** One extract file: the date window it covers and its CSV body, streamed. */
export interface WindowFile {
  window: DateWindow;
  /** The file body as Marketo sends it (UTF-8 CSV with a header line); read it to its end or destroy it. */
  csv: Readable;
}

/** A date range to extract, cut into windows Marketo accepts. */
export interface DateRangeOptions {
  /** Start of the range (inclusive): a Date or an ISO 8601 string. */
  since: Date | string;
  /** End of the range: a Date or an ISO 8601 string. */
  until: Date | string;
  /** Length of each window in days; default and maximum 31 (Marketo's limit for one filter). */
  windowDays?: number;
}

/**
 * A client of one Marketo instance's REST and bulk extract APIs. It keeps within the instance's
 * limits by itself (concurrency, calls per 20 s), renews its access token, retries what Marketo
 * documents as retryable, and fails with a `MarketoError` that says what to do.
 *
 * Extracts run one job at a time and yield each file as soon as it is ready; the next job is only
 * created when the consumer asks for the next file, so a consumer that stops early leaves no job
 * behind. Consumers parse the CSV themselves.
 */
export class MarketoClient {
  private readonly transport: MarketoTransport;
  private readonly jobs: BulkJobTiming;
  /** The limiter every call passes through (exposed for diagnostics and tests). */
  readonly limiter: CallGate;

  constructor(options: MarketoClientOptions) {
    const settings = resolveClientSettings(options);
    this.transport = new MarketoTransport(settings.transport);
    this.jobs = settings.jobs;
    this.limiter = settings.transport.limiter;
  }

  /** Leads whose `filterField` (default `updatedAt`) falls in the range, one CSV file per window. */
  async *extractLeads(
    options: DateRangeOptions & { fields: string[]; filterField?: 'updatedAt' | 'createdAt' },
  ): AsyncGenerator<WindowFile, void, undefined> {
    if (options.fields.length === 0) {
      throw new MarketoError(
        'INVALID_OPTIONS',
        'Marketo lead extract: fields is empty; name the lead fields to export (REST names, e.g. email, updatedAt)',
      );
    }
    const filterField = options.filterField ?? 'updatedAt';
    for (const window of windowsOf(options)) {
      const request: BulkExportRequest = { fields: options.fields, format: 'CSV', filter: { [filterField]: window } };
      yield { window, csv: await this.runExport('leads', request) };
    }
  }

  /**
   * Activities created in the range, one CSV file per window, optionally only `activityTypeIds`.
   * Columns: marketoGUID, leadId, activityDate, activityTypeId, campaignId,
   * primaryAttributeValueId, primaryAttributeValue, attributes (JSON).
   */
  async *extractActivities(
    options: DateRangeOptions & { activityTypeIds?: number[]; fields?: string[] },
  ): AsyncGenerator<WindowFile, void, undefined> {
    for (const window of windowsOf(options)) {
      const filter: Record<string, unknown> = { createdAt: window };
      if (options.activityTypeIds?.length) filter.activityTypeIds = options.activityTypeIds;
      const request: BulkExportRequest = { fields: options.fields, format: 'CSV', filter };
      yield { window, csv: await this.runExport('activities', request) };
    }
  }

  /** The members of one program, as a single CSV file. */
  async *extractProgramMembers(options: {
    programId: number;
    fields?: string[];
  }): AsyncGenerator<{ programId: number; csv: Readable }, void, undefined> {
    const request: BulkExportRequest = {
      fields: options.fields,
      format: 'CSV',
      filter: { programId: options.programId },
    };
    yield { programId: options.programId, csv: await this.runExport('program/members', request) };
  }

  /** The `result` array of each page of a `nextPageToken`-paged REST call; see `pageThrough`. */
  pageThrough<T = Record<string, unknown>>(path: string, query: Query = {}): AsyncGenerator<T[], void, undefined> {
    return pageThrough<T>(this.transport, path, query);
  }

  /** The `result` of one GET call, e.g. `get('/rest/v1/activities/types.json')`. */
  async get<T = Record<string, unknown>>(path: string, query: Query = {}): Promise<T[]> {
    const answer = await this.transport.callJson<T>('GET', path, { query });
    return answer.result ?? [];
  }

  private runExport(kind: BulkExportKind, request: BulkExportRequest): Promise<Readable> {
    return runBulkExport(this.transport, { kind, request }, this.jobs);
  }
}

function windowsOf(options: DateRangeOptions): DateWindow[] {
  return splitDateWindows(new Date(options.since), new Date(options.until), options.windowDays ?? MAX_WINDOW_DAYS);
}
