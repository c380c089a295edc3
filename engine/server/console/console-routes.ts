import type { ConsoleAnswer, ConsoleRequest } from './console-page';
import { confirmDestinationAction, runDestinationAction } from './pages/destination-action';
import { destinationsPage } from './pages/destinations-page';
import { overviewPage } from './pages/overview-page';
import { profilePage, profilesPage } from './pages/profiles-page';
import { segmentMembersCsv } from './pages/segment-members-csv';
import { segmentPage } from './pages/segment-page';
import { segmentsPage } from './pages/segments-page';
import { sourcesPage } from './pages/sources-page';

/** One page or action of the console; every one needs a session. */
export interface ConsoleRoute {
  method: 'GET' | 'POST';
  path: RegExp;
  /** Needs a session signed in with the write token (and, for POST, the session's CSRF token). */
  write?: boolean;
  answer: (request: ConsoleRequest) => Promise<ConsoleAnswer>;
}

const NAME = '([a-z][a-z0-9-]{0,62})';

export const CONSOLE_ROUTES: readonly ConsoleRoute[] = [
  { method: 'GET', path: /^\/$/, answer: overviewPage },
  { method: 'GET', path: /^\/segments$/, answer: segmentsPage },
  { method: 'GET', path: new RegExp(`^/segments/${NAME}$`), answer: segmentPage },
  { method: 'GET', path: new RegExp(`^/segments/${NAME}/members\\.csv$`), answer: segmentMembersCsv },
  { method: 'GET', path: /^\/sources$/, answer: sourcesPage },
  { method: 'GET', path: /^\/destinations$/, answer: destinationsPage },
  {
    method: 'GET',
    path: new RegExp(`^/destinations/${NAME}/(pause|resume|retry)$`),
    write: true,
    answer: confirmDestinationAction,
  },
  {
    method: 'POST',
    path: new RegExp(`^/destinations/${NAME}/(pause|resume|retry)$`),
    write: true,
    answer: runDestinationAction,
  },
  { method: 'GET', path: /^\/profiles$/, answer: profilesPage },
  { method: 'GET', path: /^\/profiles\/([^/]+)$/, answer: profilePage },
];

/** Whether a path is one of the console's (its pages, sign-in, sign-out, assets). */
export function isConsolePath(pathname: string): boolean {
  return (
    pathname === '/login' ||
    pathname === '/logout' ||
    pathname.startsWith('/console/assets/') ||
    CONSOLE_ROUTES.some((r) => r.path.test(pathname))
  );
}
