import { type PersonProfile, tryReadPersonProfile } from '../../../runtime/profiles/read-person-profile';
import { readSubjectMemberships, type SubjectMembership } from '../../../segment/read-subject-memberships';
import { pathPart, when } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html, type SafeHtml } from '../html';

/**
 * `/profiles?q=`: search a person by email or `namespace:value`; a hit goes to its page. The
 * search travels in the query, as the read API's does (an email, never a credential).
 */
export async function profilesPage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const q = request.url.searchParams.get('q')?.trim() || undefined;
  if (q) {
    const profile = await tryReadPersonProfile(request.db, request.sandbox, lookupOf(q));
    if (profile) return { kind: 'redirect', location: `/profiles/${profile.id}` };
  }
  return page(
    'profiles',
    'Profiles',
    html`${searchForm(q)}${q ? html`<p class="notice bad" id="no-profile">No person in sandbox ${request.sandbox} has ${q.includes('@') ? 'email' : 'identity'} ${q}.</p>` : ''}`,
    q ? 404 : undefined,
  );
}

/** `/profiles/<id>`: the unified person: attributes, identities, account, opportunities, recent events, segment memberships. */
export async function profilePage(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const id = request.params[0]!;
  const profile = /^\d{1,15}$/.test(id)
    ? await tryReadPersonProfile(request.db, request.sandbox, { id: Number(id) })
    : undefined;
  if (!profile)
    return page(
      'profiles',
      'Unknown person',
      html`${searchForm(undefined)}<p class="notice bad">No person ${id} in sandbox ${request.sandbox}.</p>`,
      404,
    );
  const memberships = await readSubjectMemberships(request.db, request.sandbox, {
    personId: profile.id,
    accountId: profile.account?.id ?? null,
  });
  const name = [profile.attributes.firstName, profile.attributes.lastName].filter(Boolean).join(' ');
  return page(
    'profiles',
    `Person ${profile.id}${name ? ` · ${name}` : ''}`,
    html`${searchForm(undefined)}${membershipsTable(memberships)}${whoTheyAre(profile)}${whatTheyDid(profile)}`,
  );
}

function membershipsTable(memberships: readonly SubjectMembership[]): SafeHtml {
  const rows = memberships.map(
    (m) =>
      html`<tr><td><a href="/segments/${pathPart(m.segment)}">${m.segment}</a></td><td>${m.subjectType === 'account' ? `its account ${m.subjectId}` : 'person'}</td><td>${when(m.enteredAt)}</td></tr>`,
  );
  return html`<h2>Segment memberships</h2>
<table id="memberships"><thead><tr><th>Segment</th><th>As</th><th>Since</th></tr></thead><tbody>${rows}</tbody></table>
${memberships.length === 0 ? html`<p class="muted">In no segment now.</p>` : ''}`;
}

/** Attributes, identities and account. */
function whoTheyAre(profile: PersonProfile): SafeHtml {
  const attributes = Object.entries(profile.attributes).map(
    ([key, value]) =>
      html`<tr><th>${key}</th><td>${typeof value === 'object' ? JSON.stringify(value) : String(value)}</td></tr>`,
  );
  const identities = profile.identities.map((i) => html`<tr><td>${i.namespace}</td><td>${i.value}</td></tr>`);
  const account = profile.account;
  return html`<h2>Attributes</h2>
<table id="attributes" class="keys"><tbody>${attributes}</tbody></table>
<h2>Identities</h2>
<table id="identities"><thead><tr><th>Namespace</th><th>Value</th></tr></thead><tbody>${identities}</tbody></table>
<h2>Account</h2>
${account ? html`<p id="account">${account.name ?? '—'} <span class="muted">${account.domain ?? ''} ${account.industry ?? ''} (account ${account.id})</span></p>` : html`<p class="muted">No account.</p>`}`;
}

/** Opportunities with the person's role, recent events, and the source records the profile is made of. */
function whatTheyDid(profile: PersonProfile): SafeHtml {
  const opportunities = profile.opportunities.map((o) => [
    o.name,
    o.stage,
    o.amount,
    o.isClosed === null ? '' : o.isClosed ? 'yes' : 'no',
    o.role,
    o.isPrimary ? 'yes' : '',
  ]);
  return html`<h2>Opportunities</h2>
${table(['Opportunity', 'Stage', 'Amount', 'Closed', 'Role', 'Primary'], opportunities)}
<h2>Recent events</h2>
${table(
  ['Type', 'When', 'URL', 'Source'],
  profile.recentEvents.map((e) => [e.type, when(e.occurredAt), e.url, e.source]),
)}
<h2>Source records</h2>
${table(
  ['Source', 'Object', 'Key', 'Type'],
  profile.records.map((r) => [r.source, r.object, r.key, r.sourceType]),
)}`;
}

function table(header: string[], rows: (string | null)[][]): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table><thead><tr>${header.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c ?? ''}</td>`)}</tr>`)}</tbody></table>`;
}

function searchForm(q: string | undefined): SafeHtml {
  return html`<form class="search" method="get" action="/profiles">
  <input type="search" name="q" value="${q ?? ''}" placeholder="email, or namespace:value (crmContactId:003...)">
  <button type="submit">Find</button>
</form>`;
}

function lookupOf(q: string): { email: string } | { namespace: string; value: string } {
  const colon = q.indexOf(':');
  if (q.includes('@') || colon <= 0) return { email: q };
  return { namespace: q.slice(0, colon), value: q.slice(colon + 1) };
}
