import { retryDeadChanges, setDestinationPaused } from '../../../activation/destination-control';
import { readActivationConfig } from '../../../activation/read-applied-destinations';
import { sandboxSchema } from '../../../runtime/sandbox-schema';
import { count, link, pathPart } from '../console-format';
import { type ConsoleAnswer, type ConsoleRequest, page } from '../console-page';
import { html } from '../html';

/** The write actions on a destination, as `roster destination pause|resume|retry` do them. */
export type DestinationAction = 'pause' | 'resume' | 'retry';

const CONSEQUENCE: Record<DestinationAction, string> = {
  pause: 'Nothing is sent to it until it is resumed; changes keep accumulating in the outbox.',
  resume: 'Pending changes are delivered again by roster run.',
  retry:
    'Its dead-lettered changes go back to pending with fresh attempts, due now (a change superseded by a later one of the same subject is cancelled instead).',
};

/** `GET /destinations/<name>/<action>`: the confirmation step, a form carrying the session's CSRF token. */
export async function confirmDestinationAction(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const [name, action] = request.params as [string, DestinationAction];
  if (!(await isApplied(request, name))) return unknown(request, name);
  return page(
    'destinations',
    `${capitalized(action)} ${name}?`,
    html`<form method="post" action="/destinations/${pathPart(name)}/${action}" class="notice">
  <p>${CONSEQUENCE[action]}</p>
  <input type="hidden" name="csrf" value="${request.session.csrf}">
  <button type="submit" class="${action === 'pause' ? 'danger' : 'primary'}" id="confirm">${capitalized(action)} Destination/${name}</button>
  <a href="/destinations#${name}">Cancel</a>
</form>`,
  );
}

/** `POST /destinations/<name>/<action>` (confirmed, CSRF token checked, write permission checked by the router). */
export async function runDestinationAction(request: ConsoleRequest): Promise<ConsoleAnswer> {
  const [name, action] = request.params as [string, DestinationAction];
  if (!(await isApplied(request, name))) return unknown(request, name);
  const schema = sandboxSchema(request.sandbox);
  let requeued: number | undefined;
  if (action === 'retry') requeued = await retryDeadChanges(request.db, schema, name);
  else await setDestinationPaused(request.db, schema, { name, paused: action === 'pause', by: request.actor });
  // The page says what was done from these fields, never from text in the URL, so a crafted link
  // cannot make the console display a message of its author's choosing.
  return {
    kind: 'redirect',
    location: `${link('/destinations', { done: action, destination: name, requeued })}#${pathPart(name)}`,
  };
}

/** What `/destinations?done=...` says after an action, or undefined for anything it did not send. */
export function describeDoneAction(search: URLSearchParams): string | undefined {
  const action = search.get('done');
  const name = search.get('destination') ?? '';
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(name)) return undefined;
  if (action === 'pause' || action === 'resume')
    return `Destination/${name} ${action === 'pause' ? 'paused' : 'resumed'}.`;
  const requeued = Number(search.get('requeued'));
  if (action === 'retry' && Number.isSafeInteger(requeued) && requeued >= 0)
    return `Destination/${name}: ${count(requeued)} dead-lettered changes queued again.`;
  return undefined;
}

async function isApplied(request: ConsoleRequest, name: string): Promise<boolean> {
  const { destinations } = await readActivationConfig(request.db, request.sandbox);
  return destinations.some((d) => d.name === name);
}

function unknown(request: ConsoleRequest, name: string): ConsoleAnswer {
  return page(
    'destinations',
    'Unknown destination',
    html`<p class="notice bad">Destination/${name} is not applied to sandbox ${request.sandbox}. <a href="/destinations">All destinations</a></p>`,
    404,
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
