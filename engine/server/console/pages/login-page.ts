import { documentShell } from '../console-layout';
import { html, type SafeHtml } from '../html';

/**
 * The sign-in form. It posts the token in the body (never in a URL) and shows no data: a wrong
 * token gets this page again with a message and nothing else.
 */
export function loginPage(sandbox: string, problem?: string): SafeHtml {
  return documentShell(
    `Sign in · ${sandbox}`,
    html`<form class="login" method="post" action="/login" autocomplete="off">
  <h1>Roster console</h1>
  <p class="muted">Sandbox <strong>${sandbox}</strong>. Sign in with the console token (ROSTER_CONSOLE_TOKEN, else ROSTER_API_TOKEN), or the write token (ROSTER_CONSOLE_WRITE_TOKEN) to pause, resume and retry destinations.</p>
  ${problem ? html`<p class="notice bad" role="alert">${problem}</p>` : ''}
  <label for="token">Token</label>
  <input id="token" name="token" type="password" required autofocus>
  <button class="primary" type="submit">Sign in</button>
</form>`,
  );
}

/** What the console says when no token is configured: it stays off rather than open (personal data). */
export function consoleOffPage(sandbox: string): SafeHtml {
  return documentShell(
    `Console off · ${sandbox}`,
    html`<div class="login"><h1>Roster console is off</h1>
  <p>Set ROSTER_CONSOLE_TOKEN or ROSTER_API_TOKEN (and ROSTER_CONSOLE_WRITE_TOKEN for pause, resume and retry) where roster run runs, then sign in at <a href="/login">/login</a>.</p></div>`,
  );
}

/** A refused request of a signed-in operator (missing permission, stale form). */
export function refusedBody(message: string): SafeHtml {
  return html`<p class="notice bad" role="alert">${message}</p><p><a href="/">Back to the overview</a></p>`;
}
