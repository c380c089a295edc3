import { readActivationConfig } from '../../../activation/read-applied-destinations';
import { readRecordedOperations } from '../../../deploy/apply-journal';
import { type IngestRunRow, readLastIngestRuns } from '../../../ingest/read-ingest-runs';
import type { DriftedResource } from '../../../plan/drifted-resource';
import { findDrift } from '../../../plan/find-drift';
import type { AppliedResource } from '../../../runtime/registry/applied-resource';
import { readAppliedResources } from '../../../runtime/registry/read-registry';
import { readLastSegmentRuns, type SegmentRun } from '../../../segment/read-segment-runs';
import { count, pathPart, when } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html, type SafeHtml } from '../html';
import { type DestinationStatus, needsAttention, readDestinationStatuses } from './read-destination-statuses';

/**
 * `/`: what is applied (revision, by whom), what changed outside Roster (as `roster status` reports
 * it), the last run of each source, segment and destination, and what needs attention.
 */
export async function overviewPage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const resources = await readAppliedResources(request.db, request.sandbox);
  const segments = resources.filter((r) => r.kind === 'Segment').map((r) => r.name);
  const lastSegmentRuns = await readLastSegmentRuns(request.db, request.sandbox, segments);
  const ingestRuns = await readLastIngestRuns(request.db, request.sandbox);
  const statuses = await readDestinationStatuses(
    request.db,
    request.sandbox,
    await readActivationConfig(request.db, request.sandbox),
  );
  const attention = statuses.filter(needsAttention);
  const drift = findDrift(resources, await readRecordedOperations(request.db, request.sandbox));
  return page(
    'overview',
    `Sandbox ${request.sandbox}`,
    html`<h2>Destinations needing attention</h2>
${attention.length === 0 ? html`<p class="good">None: nothing dead-lettered, retrying or paused.</p>` : attentionTable(attention)}
${driftSection(drift)}
${lastRuns(ingestRuns, lastSegmentRuns, statuses)}
${resourcesTable(resources)}`,
  );
}

/** The newest run of each source and segment, and each destination's last delivery. */
function lastRuns(
  ingestRuns: readonly IngestRunRow[],
  segmentRuns: ReadonlyMap<string, SegmentRun>,
  statuses: readonly DestinationStatus[],
): SafeHtml {
  const sources = ingestRuns.map(
    (r) =>
      html`<tr><td>source</td><td>${r.source}</td><td class="${r.status === 'failed' ? 'bad' : ''}">${r.status}</td><td>${when(r.finishedAt ?? r.startedAt)}</td><td>${count(r.read)} read, ${count(r.written)} written, ${count(r.quarantined)} quarantined${r.error ? html` <span class="bad">${r.error}</span>` : ''}</td></tr>`,
  );
  const segments = [...segmentRuns].map(
    ([name, r]) =>
      html`<tr><td>segment</td><td><a href="/segments/${pathPart(name)}">${name}</a></td><td>succeeded</td><td>${when(r.evaluatedAt)}</td><td>${count(r.size)} members (+${count(r.entered)} −${count(r.exited)}), ${r.mode}</td></tr>`,
  );
  const destinations = statuses.map(
    (s) =>
      html`<tr><td>destination</td><td>${s.destination}</td><td>${s.paused ? 'paused' : 'active'}</td><td>${when(s.lastSuccessAt)}</td><td>${count(s.delivered)} delivered, ${count(s.pending)} pending</td></tr>`,
  );
  return html`<h2>Last runs</h2>
<table id="last-runs"><thead><tr><th>Kind</th><th>Name</th><th>Status</th><th>When</th><th>Result</th></tr></thead>
<tbody>${sources}${segments}${destinations}</tbody></table>`;
}

/** Resources whose runtime document is not what the last apply recorded (decision 68). */
function driftSection(drift: readonly DriftedResource[]): SafeHtml {
  if (drift.length === 0)
    return html`<h2>Changed outside Roster</h2><p class="good" id="drift">Nothing: every resource is as the last apply left it.</p>`;
  const rows = drift.map(
    (d) => html`<tr data-drift="${d.key}"><td>${d.key}</td><td class="warn">${d.reason}</td></tr>`,
  );
  return html`<h2>Changed outside Roster</h2>
<p class="muted">The next <code>roster apply</code> restores the files' version.</p>
<table id="drift"><thead><tr><th>Resource</th><th>What changed</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function resourcesTable(resources: readonly AppliedResource[]): SafeHtml {
  const rows = resources.map(
    (r) =>
      html`<tr data-resource="${r.kind}/${r.name}"><td>${r.kind}/${r.name}</td><td class="num">${r.revision}</td><td>${when(r.appliedAt)}</td><td>${r.appliedBy}</td><td>${r.gitCommit ? r.gitCommit.slice(0, 12) : '—'}</td></tr>`,
  );
  return html`<h2>Applied resources</h2>
<table id="resources"><thead><tr><th>Resource</th><th class="num">Revision</th><th>Applied at</th><th>Applied by</th><th>Git commit</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function attentionTable(statuses: DestinationStatus[]): SafeHtml {
  return html`<table id="attention"><thead><tr><th>Destination</th><th>Why</th><th>Last error</th></tr></thead><tbody>
${statuses.map(
  (s) =>
    html`<tr><td><a href="/destinations#${s.destination}">${s.destination}</a></td><td class="warn">${attentionReasons(s).join(', ')}</td><td>${s.lastError ?? '—'}</td></tr>`,
)}
</tbody></table>`;
}

function attentionReasons(s: DestinationStatus): string[] {
  return [
    s.paused ? 'paused' : '',
    s.dead > 0 ? `${count(s.dead)} dead-lettered` : '',
    s.retrying > 0 ? `${count(s.retrying)} retrying` : '',
  ].filter(Boolean);
}
