import type { Queryable } from '../../runtime/queryable';
import type { ConsoleSession } from './console-sessions';
import type { SafeHtml } from './html';

/** The sections of the console, as the navigation names them. */
export type ConsoleSection = 'overview' | 'segments' | 'sources' | 'destinations' | 'profiles';

/** A signed-in request as a page sees it. */
export interface ConsoleRequest {
  db: Queryable;
  sandbox: string;
  url: URL;
  /** The captures of the route's path, as in the path (the routes' patterns allow no escapes). */
  params: string[];
  session: ConsoleSession;
  /** The form of a POST (already checked for its CSRF token). */
  form?: URLSearchParams;
  /** Who an action is recorded as (`paused_by`). */
  actor: string;
}

/** What a page answers: a page in the layout, a redirect, or a file to download. */
export type ConsoleAnswer =
  | { kind: 'page'; title: string; section: ConsoleSection; body: SafeHtml; status?: number }
  | { kind: 'redirect'; location: string }
  | { kind: 'download'; body: string; type: string; fileName: string };

export function page(section: ConsoleSection, title: string, body: SafeHtml, status?: number): ConsoleAnswer {
  return { kind: 'page', section, title, body, ...(status ? { status } : {}) };
}
