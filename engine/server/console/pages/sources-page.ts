import {
  type IngestRunRow,
  readIngestRuns,
  readSourceWatermarks,
  type WatermarkRow,
} from '../../../ingest/read-ingest-runs';
import { readQuarantinedRecords, type SourceQuarantinedRecord } from '../../../ingest/read-quarantined-records';
import type { AppliedResource } from '../../../runtime/registry/applied-resource';
import { readAppliedResources } from '../../../runtime/registry/read-registry';
import { count, when } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html, type SafeHtml } from '../html';

const RUNS = 50;
const QUARANTINED_PER_SOURCE = 20;

/** `/sources`: the applied sources, recent runs with their counts, quarantined records with reasons, watermarks. */
export async function sourcesPage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const sources = (await readAppliedResources(request.db, request.sandbox)).filter((r) => r.kind === 'Source');
  const runs = await readIngestRuns(request.db, request.sandbox, RUNS);
  const quarantine = await readQuarantinedRecords(request.db, request.sandbox, QUARANTINED_PER_SOURCE);
  const watermarks = await readSourceWatermarks(request.db, request.sandbox);
  return page(
    'sources',
    'Sources',
    html`${sourcesTable(sources)}${runsTable(runs)}${quarantineTable(quarantine)}${watermarksTable(watermarks)}`,
  );
}

function sourcesTable(sources: readonly AppliedResource[]): SafeHtml {
  const rows = sources.map((s) => {
    const type = (s.document.spec as { type?: string }).type ?? '';
    const description = (s.document.metadata as { description?: string } | undefined)?.description ?? '';
    return html`<tr><td>${s.name}</td><td>${type}</td><td class="num">${s.revision}</td><td class="muted">${description}</td></tr>`;
  });
  return html`<table id="sources"><thead><tr><th>Source</th><th>Type</th><th class="num">Revision</th><th>Description</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function runsTable(runs: readonly IngestRunRow[]): SafeHtml {
  const rows = runs.map(
    (
      r,
    ) => html`<tr data-run="${r.runId}"><td class="num">${r.runId}</td><td>${r.source}</td><td>${r.trigger}</td><td class="${r.status === 'failed' ? 'bad' : ''}">${r.status}</td><td>${when(r.startedAt)}</td><td>${when(r.finishedAt)}</td>
<td class="num">${count(r.read)}</td><td class="num">${count(r.written)}</td><td class="num">${count(r.unchanged)}</td><td class="num">${count(r.quarantined)}</td></tr>
${r.error ? html`<tr><td></td><td colspan="9" class="bad">${r.error}</td></tr>` : ''}`,
  );
  return html`<h2>Recent runs</h2>
<table id="ingest-runs"><thead><tr><th class="num">Run</th><th>Source</th><th>Trigger</th><th>Status</th><th>Started</th><th>Finished</th><th class="num">Read</th><th class="num">Written</th><th class="num">Unchanged</th><th class="num">Quarantined</th></tr></thead>
<tbody>${rows}</tbody></table>
${runs.length === 0 ? html`<p class="muted">No source has run yet (roster source run NAME, or the schedules of roster run).</p>` : ''}`;
}

function quarantineTable(quarantine: { records: SourceQuarantinedRecord[]; totals: Record<string, number> }): SafeHtml {
  const where = (q: SourceQuarantinedRecord) =>
    `${q.origin}${q.line ? `:${q.line}` : q.recordIndex !== null ? ` #${q.recordIndex}` : ''}`;
  const rows = quarantine.records.map(
    (q) =>
      html`<tr data-source="${q.source}"><td>${q.source}</td><td class="num">${q.runId}</td><td>${q.object}</td><td>${where(q)}</td><td>${q.field ?? ''}</td><td>${q.reason}</td></tr>`,
  );
  const totals = Object.entries(quarantine.totals).map(
    ([source, total]) => html`<p class="muted">${source}: ${count(total)} quarantined in that run.</p>`,
  );
  return html`<h2>Quarantined records</h2>
<p class="muted">Of each source's latest run that quarantined any (the first ${QUARANTINED_PER_SOURCE}); all of them with <code>roster source errors NAME</code>.</p>
<table id="quarantine"><thead><tr><th>Source</th><th class="num">Run</th><th>Object</th><th>Where</th><th>Field</th><th>Reason</th></tr></thead>
<tbody>${rows}</tbody></table>
${totals}`;
}

function watermarksTable(watermarks: readonly WatermarkRow[]): SafeHtml {
  const rows = watermarks.map(
    (w) =>
      html`<tr><td>${w.source}</td><td>${w.object}</td><td>${w.watermark}</td><td class="num">${w.runId}</td><td>${when(w.updatedAt)}</td></tr>`,
  );
  return html`<h2>Watermarks</h2>
<table id="watermarks"><thead><tr><th>Source</th><th>Object</th><th>Reads from</th><th class="num">Set by run</th><th>Updated</th></tr></thead>
<tbody>${rows}</tbody></table>
${watermarks.length === 0 ? html`<p class="muted">No incremental object has a watermark yet.</p>` : ''}`;
}
