import type { MemberRow } from '../../../segment/read-members';
import { count, link, pathPart, when } from '../console-format';
import { html, type SafeHtml } from '../html';

/** Members shown per page. */
export const MEMBERS_PAGE_SIZE = 50;

/** A page of members (persons linked to their profile) with a search box, previous/next links and the CSV download. */
export function membersSection(
  segment: string,
  members: { total: number; members: MemberRow[] },
  view: { offset: number; search: string | undefined; subject: 'person' | 'account' },
): SafeHtml {
  const base = `/segments/${pathPart(segment)}`;
  const at = (offset: number) => link(base, { q: view.search, offset: offset || undefined });
  const last = Math.min(view.offset + members.members.length, members.total);
  return html`<h2 id="members">Members</h2>
<form class="search" method="get" action="${base}">
  <input type="search" name="q" value="${view.search ?? ''}" placeholder="email, name, account or domain contains">
  <button type="submit">Search</button>
  <a href="${link(`${base}/members.csv`, { q: view.search })}">Download CSV</a>
</form>
<div class="pager"><span id="members-total">${count(members.total)} ${view.search ? 'matching members' : 'members'}</span>
  ${members.total > 0 ? html`<span class="muted">showing ${count(view.offset + 1)}–${count(last)}</span>` : ''}
  ${view.offset > 0 ? html`<a rel="prev" href="${at(Math.max(0, view.offset - MEMBERS_PAGE_SIZE))}">Previous</a>` : ''}
  ${last < members.total ? html`<a rel="next" href="${at(view.offset + MEMBERS_PAGE_SIZE)}">Next</a>` : ''}
</div>
<table id="member-rows"><thead><tr><th class="num">Id</th><th>Email or account</th><th>Name or domain</th><th>Member since</th><th></th></tr></thead><tbody>
${members.members.map(
  (
    m,
  ) => html`<tr data-subject="${m.subjectId}"><td class="num">${view.subject === 'person' ? html`<a href="/profiles/${m.subjectId}">${m.subjectId}</a>` : m.subjectId}</td><td>${m.label ?? '—'}</td><td>${m.detail ?? ''}</td><td>${when(m.enteredAt)}</td>
  <td><a href="${link(base, { explain: m.subjectId })}#why">why</a></td></tr>`,
)}
</tbody></table>`;
}
