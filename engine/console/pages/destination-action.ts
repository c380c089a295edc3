import { retryDeadChanges, setDestinationPaused } from '../../activation/destination-control';
import { readActivationConfig } from '../../activation/read-applied-destinations';
import { sandboxSchema } from '../../runtime/sandbox-schema';
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
  let done: string;
  if (action === 'retry') {
    const n = await retryDeadChanges(request.db, schema, name);
    done = `Destination/${name}: ${count(n)} dead-lettered changes queued again.`;
  } else {
    await setDestinationPaused(request.db, schema, { name, paused: action === 'pause', by: request.actor });
    done = `Destination/${name} ${action === 'pause' ? 'paused' : 'resumed'}.`;
  }
  return { kind: 'redirect', location: `${link('/destinations', { done })}#${pathPart(name)}` };
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
