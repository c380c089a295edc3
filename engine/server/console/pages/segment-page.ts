import { stringify } from 'yaml';
import { sandboxSchema } from '../../../runtime/sandbox-schema';
import { compileSegment } from '../../../segment/compile-segment';
import { type AppliedSegment, readAppliedSegments } from '../../../segment/read-applied-segments';
import { readMembers } from '../../../segment/read-members';
import { readSegmentRuns, type SegmentRun } from '../../../segment/read-segment-runs';
import { chart, count, pathPart, when } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html, type SafeHtml } from '../html';
import { explainSection } from './explain-section';
import { MEMBERS_PAGE_SIZE, membersSection } from './members-section';

/** Runs the chart and the table show. */
const CHART_RUNS = 200;
const TABLE_RUNS = 20;

/**
 * `/segments/<name>`: the condition, how it is evaluated and why, its size over time with entries
 * and exits, recent runs, the compiled SQL, the members (paged, searchable, as CSV) and, for a
 * subject asked about, why it is or is not a member.
 */
export async function segmentPage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const segment = await findSegment(request);
  if (!segment) return unknownSegment(request);
  const runs = (await readSegmentRuns(request.db, request.sandbox, segment.name, CHART_RUNS)).reverse();
  const search = request.url.searchParams.get('q')?.trim() || undefined;
  const offset = Math.max(0, Number.parseInt(request.url.searchParams.get('offset') ?? '0', 10) || 0);
  const members = await readMembers(request.db, request.sandbox, segment.name, {
    limit: MEMBERS_PAGE_SIZE,
    offset,
    ...(search ? { search } : {}),
  });
  return page(
    'segments',
    `Segment ${segment.name}`,
    html`${summaryCards(segment, runs.at(-1))}
${sizeOverTime(segment, runs)}
${recentRuns(runs)}
${membersSection(segment.name, members, { offset, search, subject: segment.spec.subject })}
${await explainSection(request, segment)}
${definition(segment, request.sandbox)}`,
  );
}

/** The segment's size (after its last run: runs are the only writers of membership), subject, mode and why, revision. */
function summaryCards(segment: AppliedSegment, last: SegmentRun | undefined): SafeHtml {
  return html`<div class="cards">
  <div class="card"><div class="muted">Members</div><div class="figure" id="segment-size">${count(last?.size ?? 0)}</div></div>
  <div class="card"><div class="muted">Subject</div><div class="figure">${segment.spec.subject}</div></div>
  <div class="card"><div class="muted">Evaluation</div><div class="figure">${segment.evaluation.mode}</div><div class="muted" id="evaluation-reason">${segment.evaluation.reason}</div></div>
  <div class="card"><div class="muted">Revision</div><div class="figure">${segment.revision}</div><div class="muted">activates to ${segment.destinations.join(', ') || 'no destination'}</div></div>
</div>`;
}

function sizeOverTime(segment: AppliedSegment, runs: readonly SegmentRun[]): SafeHtml {
  if (runs.length === 0) return html`<h2>Size over time</h2><p class="muted">Not evaluated yet.</p>`;
  const series = [
    { label: 'members', values: runs.map((r) => r.size), color: '#2f5bd3' },
    { label: 'entered', values: runs.map((r) => r.entered), color: '#1e7b34' },
    { label: 'exited', values: runs.map((r) => r.exited), color: '#b3261e' },
  ];
  const label = `members, entries and exits of ${segment.name} over ${runs.length} runs`;
  return html`<h2>Size over time</h2>
${chart(
  'line',
  runs.map((r) => r.evaluatedAt),
  series,
  label,
)}`;
}

function recentRuns(runs: readonly SegmentRun[]): SafeHtml {
  const rows = runs
    .slice(-TABLE_RUNS)
    .reverse()
    .map(
      (r) =>
        html`<tr><td class="num">${r.runId}</td><td>${when(r.evaluatedAt)}</td><td>${r.mode}</td><td class="num">${r.revision}</td><td class="num">${count(r.size)}</td><td class="num">${count(r.entered)}</td><td class="num">${count(r.exited)}</td></tr>`,
    );
  return html`<h2>Recent runs</h2>
<table id="runs"><thead><tr><th class="num">Run</th><th>Evaluated at</th><th>Mode</th><th class="num">Revision</th><th class="num">Size</th><th class="num">Entered</th><th class="num">Exited</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** The condition as written (YAML), the segments it reads, and the statement a batch run executes. */
function definition(segment: AppliedSegment, sandbox: string): SafeHtml {
  const compiled = compileSegment(sandboxSchema(sandbox), segment.spec.subject, segment.where, new Date());
  const reads = segment.dependsOn.map((d, i) => html`${i > 0 ? ', ' : ''}<a href="/segments/${pathPart(d)}">${d}</a>`);
  return html`<h2>Condition</h2>
<pre id="condition">${stringify(segment.spec.where)}</pre>
${segment.dependsOn.length > 0 ? html`<p>Reads the segments ${reads}.</p>` : ''}
<h2>Compiled SQL</h2>
<pre id="compiled-sql">${compiled.text};
-- parameters:
${compiled.params.map((p, i) => `--   $${i + 1} = ${JSON.stringify(p)}\n`)}</pre>
<p class="muted">The statement <code>roster segment sql ${segment.name}</code> prints.</p>`;
}

/** The applied segment the path names, or undefined. */
export async function findSegment(request: ConsoleRequest): Promise<AppliedSegment | undefined> {
  const segments = await readAppliedSegments(request.db, request.sandbox);
  return segments.find((s) => s.name === request.params[0]);
}

export function unknownSegment(request: ConsoleRequest): ConsoleAnswer {
  return page(
    'segments',
    'Unknown segment',
    html`<p class="notice bad">Segment/${request.params[0]} is not applied to sandbox ${request.sandbox}. <a href="/segments">All segments</a></p>`,
    404,
  );
}
