import { readAppliedSegments } from '../../../segment/read-applied-segments';
import { readLastSegmentRuns, readSegmentRuns } from '../../../segment/read-segment-runs';
import { chart, count, pathPart, when } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html } from '../html';

/** Runs a sparkline shows. */
const SPARK_RUNS = 30;

/** `/segments`: every applied segment with its size, evaluation mode and a sparkline of its size over the last runs. */
export async function segmentsPage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const segments = (await readAppliedSegments(request.db, request.sandbox)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const last = await readLastSegmentRuns(
    request.db,
    request.sandbox,
    segments.map((s) => s.name),
  );
  const rows = [];
  for (const segment of segments) {
    const runs = (await readSegmentRuns(request.db, request.sandbox, segment.name, SPARK_RUNS)).reverse();
    const run = last.get(segment.name);
    rows.push(html`<tr data-segment="${segment.name}">
  <td><a href="/segments/${pathPart(segment.name)}">${segment.name}</a></td>
  <td>${segment.spec.subject}</td>
  <td title="${segment.evaluation.reason}">${segment.evaluation.mode}</td>
  <td class="num size">${run ? count(run.size) : '—'}</td>
  <td>${
    runs.length > 1
      ? chart(
          'sparkline',
          runs.map((r) => r.evaluatedAt),
          [{ label: 'size', values: runs.map((r) => r.size), color: '#2f5bd3' }],
          `size of ${segment.name} over its last ${runs.length} runs`,
        )
      : html`<span class="muted">${runs.length} run</span>`
  }</td>
  <td>${when(run?.evaluatedAt)}</td>
  <td>${segment.destinations.join(', ') || '—'}</td>
</tr>`);
  }
  return page(
    'segments',
    'Segments',
    html`<table><thead><tr><th>Segment</th><th>Subject</th><th>Evaluation</th><th class="num">Size</th><th>Size over time</th><th>Last run</th><th>Destinations</th></tr></thead>
<tbody>${rows}</tbody></table>
${segments.length === 0 ? html`<p class="muted">No segment is applied to this sandbox.</p>` : ''}`,
  );
}
