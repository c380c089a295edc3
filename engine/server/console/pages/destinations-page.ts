import { readActivationConfig } from '../../../activation/read-applied-destinations';
import { count, pathPart, when } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html, type SafeHtml } from '../html';
import { describeDoneAction } from './destination-action';
import { type DestinationStatus, readDestinationStatuses } from './read-destination-statuses';

/**
 * `/destinations`: per destination what is pending, delivered, unmatched and dead, the last error,
 * a wait the destination asked for, and (with the write permission) retry, pause and resume.
 */
export async function destinationsPage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const statuses = await readDestinationStatuses(
    request.db,
    request.sandbox,
    await readActivationConfig(request.db, request.sandbox),
  );
  const done = describeDoneAction(request.url.searchParams);
  const canWrite = request.session.permission === 'write';
  return page(
    'destinations',
    'Destinations',
    html`${done ? html`<p class="notice" role="status">${done}</p>` : ''}
${canWrite ? '' : html`<p class="muted">Read-only session: sign in with the write token (ROSTER_CONSOLE_WRITE_TOKEN) to retry, pause or resume.</p>`}
${statuses.map((s) => destinationBlock(s, canWrite))}
${statuses.length === 0 ? html`<p class="muted">No destination is applied to this sandbox.</p>` : ''}`,
  );
}

function destinationBlock(s: DestinationStatus, canWrite: boolean): SafeHtml {
  const waiting = s.resumeAt && new Date(s.resumeAt) > new Date();
  return html`<section class="destination" id="${s.destination}" data-destination="${s.destination}">
<h2>${s.destination} <span class="muted">${s.type}</span> ${s.paused ? html`<span class="warn" data-state="paused">PAUSED</span>` : html`<span class="good" data-state="active">active</span>`}</h2>
<table><thead><tr><th class="num">Pending</th><th class="num">Retrying</th><th class="num">Delivered</th><th class="num">Unmatched</th><th class="num">Dead</th><th class="num">Cancelled</th><th>Last success</th><th>Rate-limit wait</th></tr></thead>
<tbody><tr><td class="num" data-count="pending">${count(s.pending)}</td><td class="num">${count(s.retrying)}</td><td class="num" data-count="delivered">${count(s.delivered)}</td><td class="num" data-count="unmatched">${count(s.unmatched)}</td><td class="num ${s.dead > 0 ? 'bad' : ''}" data-count="dead">${count(s.dead)}</td><td class="num">${count(s.cancelled)}</td><td>${when(s.lastSuccessAt)}</td><td>${waiting ? html`<span class="warn">until ${when(s.resumeAt)}</span>` : '—'}</td></tr></tbody></table>
${s.lastError ? html`<p class="bad">Last error (${when(s.lastErrorAt)}): ${s.lastError}</p>` : ''}
${
  Object.keys(s.members).length > 0
    ? html`<p class="muted">Members held: ${Object.entries(s.members)
        .map(([segment, n]) => `${segment} ${count(n)}`)
        .join(', ')}</p>`
    : ''
}
${s.problems.length > 0 ? html`<table><thead><tr><th>Status</th><th>Change</th><th>Segment</th><th class="num">Subject</th><th>Reason</th></tr></thead><tbody>${s.problems.map((p) => html`<tr><td>${p.status}</td><td>${p.change}</td><td>${p.segment}</td><td class="num">${p.subjectId}</td><td>${p.reason}</td></tr>`)}</tbody></table>` : ''}
${canWrite ? actions(s) : ''}
</section>`;
}

function actions(s: DestinationStatus): SafeHtml {
  const base = `/destinations/${pathPart(s.destination)}`;
  return html`<p class="actions">
${s.dead > 0 ? html`<a class="button" href="${base}/retry">Retry ${count(s.dead)} dead-lettered</a> ` : ''}
${s.paused ? html`<a class="button" href="${base}/resume">Resume</a>` : html`<a class="button" href="${base}/pause">Pause</a>`}
</p>`;
}
