import type { IncomingMessage, ServerResponse } from 'node:http';
import { tokenMatches } from '../bearer-token';
import type { ServerContext } from '../server-context';
import { serveConsoleAsset } from './console-assets';
import { readCookie, readForm, redirect, sendDownload, sendHtml } from './console-http';
import { consoleLayout } from './console-layout';
import type { ConsoleAnswer } from './console-page';
import { CONSOLE_ROUTES } from './console-routes';
import { type ConsoleSession, ConsoleSessions, SESSION_SECONDS } from './console-sessions';
import { consoleEnabled, permissionOfToken } from './console-tokens';
import { consoleOffPage, loginPage, refusedBody } from './pages/login-page';
import { SignInThrottle } from './sign-in-throttle';

const COOKIE = 'roster_console';

/**
 * The web console of `roster run` (decision 60): server-rendered pages behind a sign-in form. The
 * form posts a token; the answer is a cookie holding a random session id (HttpOnly, SameSite=Strict),
 * never the token. Pages read through the same functions as the commands and the read API.
 */
export function createConsoleHandler(
  context: ServerContext,
  sessions = new ConsoleSessions(),
  throttle = new SignInThrottle(),
) {
  return async (request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> => {
    const asset = /^\/console\/assets\/([^/]+)$/.exec(url.pathname);
    if (asset && request.method === 'GET' && serveConsoleAsset(response, asset[1]!)) return;
    if (!consoleEnabled(context.env)) return sendHtml(response, 503, consoleOffPage(context.sandbox));
    if (url.pathname === '/login') return login(request, response, context, { sessions, throttle });
    const session = sessions.tryGet(readCookie(request, COOKIE));
    if (!session) return redirect(response, '/login');
    if (url.pathname === '/logout') return logout(request, response, session, sessions);
    return answerPage(request, response, { context, session, url });
  };
}

async function login(
  request: IncomingMessage,
  response: ServerResponse,
  context: ServerContext,
  state: { sessions: ConsoleSessions; throttle: SignInThrottle },
) {
  if (request.method !== 'POST') return sendHtml(response, 200, loginPage(context.sandbox));
  const address = request.socket.remoteAddress ?? 'unknown';
  const waitMs = state.throttle.waitMs(address);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60_000);
    const problem = `Too many wrong tokens from this address; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`;
    return sendHtml(response, 429, loginPage(context.sandbox, problem), {
      'retry-after': String(Math.ceil(waitMs / 1000)),
    });
  }
  const form = await readForm(request);
  const permission = permissionOfToken(form?.get('token') ?? '', context.env);
  if (!permission) {
    state.throttle.recordFailure(address);
    context.log({ level: 'warn', msg: 'console sign-in refused', remote: address });
    return sendHtml(response, 401, loginPage(context.sandbox, 'That token is not valid here. Nothing was shown.'));
  }
  state.throttle.recordSuccess(address);
  const session = state.sessions.create(permission);
  context.log({ level: 'info', msg: 'console sign-in', permission, remote: address });
  redirect(response, '/', { 'set-cookie': cookie(session.id, SESSION_SECONDS, isHttps(request)) });
}

async function logout(
  request: IncomingMessage,
  response: ServerResponse,
  session: ConsoleSession,
  sessions: ConsoleSessions,
) {
  if (request.method !== 'POST') return redirect(response, '/');
  const form = await readForm(request);
  if (!tokenMatches(form?.get('csrf') ?? '', session.csrf)) return redirect(response, '/');
  sessions.end(session.id);
  redirect(response, '/login', { 'set-cookie': cookie('', 0, isHttps(request)) });
}

/** The session cookie; `Secure` when the browser came over HTTPS (a TLS-terminating proxy says so). */
function cookie(value: string, maxAge: number, secure: boolean): string {
  return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
}

function isHttps(request: IncomingMessage): boolean {
  return request.headers['x-forwarded-proto'] === 'https';
}

async function answerPage(
  request: IncomingMessage,
  response: ServerResponse,
  target: { context: ServerContext; session: ConsoleSession; url: URL },
) {
  const { context, session, url } = target;
  const refuse = (status: number, message: string) =>
    render(
      response,
      { kind: 'page', section: 'overview', title: 'Not allowed', body: refusedBody(message), status },
      target,
    );
  const route = CONSOLE_ROUTES.find((r) => r.method === request.method && r.path.test(url.pathname));
  if (!route) return refuse(405, `${request.method} ${url.pathname} is not something the console does.`);
  if (route.write && session.permission !== 'write')
    return refuse(
      403,
      'This session is read-only: sign out and sign in with the write token (ROSTER_CONSOLE_WRITE_TOKEN) to change destinations.',
    );
  const form = request.method === 'POST' ? await readForm(request) : undefined;
  if (request.method === 'POST' && !tokenMatches(form?.get('csrf') ?? '', session.csrf))
    return refuse(403, 'This form is stale or did not come from the console; open the page again and confirm there.');
  const params = route.path.exec(url.pathname)!.slice(1);
  const answer = await route.answer({
    db: context.pool,
    sandbox: context.sandbox,
    url,
    params,
    session,
    ...(form ? { form } : {}),
    actor: `console@${request.socket.remoteAddress ?? 'unknown'}`,
  });
  if (request.method === 'POST')
    context.log({
      level: 'info',
      msg: 'console action',
      path: url.pathname,
      permission: session.permission,
      remote: request.socket.remoteAddress,
    });
  render(response, answer, target);
}

function render(
  response: ServerResponse,
  answer: ConsoleAnswer,
  target: { context: ServerContext; session: ConsoleSession },
) {
  if (answer.kind === 'redirect') return redirect(response, answer.location);
  if (answer.kind === 'download') return sendDownload(response, answer.body, answer.type, answer.fileName);
  sendHtml(
    response,
    answer.status ?? 200,
    consoleLayout({
      title: answer.title,
      sandbox: target.context.sandbox,
      section: answer.section,
      session: target.session,
      body: answer.body,
    }),
  );
}
