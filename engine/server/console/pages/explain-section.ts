import { tryReadPersonProfile } from '../../../runtime/profiles/read-person-profile';
import { type ExplainedNode, explainSegment } from '../../../segment/explain-segment';
import type { AppliedSegment } from '../../../segment/read-applied-segments';
import type { ConsoleRequest } from '../console-page';
import { html, type SafeHtml } from '../html';

/**
 * "Why is this subject (not) a member": a form taking a subject id (or a person's email), and the
 * branch-by-branch verdicts of `explainSegment` for it, as `roster segment explain` prints them.
 */
export async function explainSection(request: ConsoleRequest, segment: AppliedSegment): Promise<SafeHtml> {
  const asked = request.url.searchParams.get('explain')?.trim() || undefined;
  const subjectId = asked ? await resolveSubject(request, segment, asked) : undefined;
  const form = html`<h2 id="why">Why is this ${segment.spec.subject} (not) a member?</h2>
<form class="search" method="get" action="#why">
  <input type="text" name="explain" value="${asked ?? ''}" placeholder="${segment.spec.subject === 'person' ? 'person id or email' : 'account id'}">
  <button type="submit">Explain</button>
</form>`;
  if (!asked) return form;
  if (subjectId === undefined)
    return html`${form}<p class="notice bad" id="explain-result">No ${segment.spec.subject} ${asked} in sandbox ${request.sandbox}; use an id from the members, or a person's email.</p>`;
  const tree = await explainSegment(request.db, request.sandbox, segment, subjectId, new Date());
  return html`${form}<div id="explain-result"><p><strong>${segment.spec.subject} ${subjectId} ${tree.held ? 'IS' : 'is NOT'} a member</strong> of Segment/${segment.name} now.</p>
<ul class="tree">${renderNode(tree)}</ul></div>`;
}

function renderNode(node: ExplainedNode): SafeHtml {
  return html`<li><span class="${node.held ? 'good' : 'bad'}">${node.held ? '✔' : '✘'}</span> ${node.description} <span class="muted">${node.pointer}</span>
${node.evidence && node.evidence.length > 0 ? html`<ul>${node.evidence.map((e) => html`<li class="muted">${e}</li>`)}</ul>` : ''}
${node.children.length > 0 ? html`<ul class="tree">${node.children.map(renderNode)}</ul>` : ''}</li>`;
}

/** A subject id as typed, or a person found by email. */
async function resolveSubject(
  request: ConsoleRequest,
  segment: AppliedSegment,
  asked: string,
): Promise<number | undefined> {
  if (/^\d{1,15}$/.test(asked)) return Number(asked);
  if (segment.spec.subject !== 'person' || !asked.includes('@')) return undefined;
  return (await tryReadPersonProfile(request.db, request.sandbox, { email: asked }))?.id;
}
