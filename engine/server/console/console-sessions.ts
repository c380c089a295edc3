import { randomBytes } from 'node:crypto';

/** What a signed-in operator may do: read pages, or also pause, resume and retry destinations. */
export type ConsolePermission = 'read' | 'write';

/** One signed-in browser: the cookie holds only `id`, a random value that says nothing about the token. */
export interface ConsoleSession {
  id: string;
  permission: ConsolePermission;
  /** Sent back in every form that changes something; a request from another site cannot know it. */
  csrf: string;
  expiresAt: number;
}

/** How long a session lasts without signing in again. */
export const SESSION_SECONDS = 12 * 60 * 60;
/** Sessions kept at most: signing in again and again cannot grow the process without bound. */
const MAX_SESSIONS = 1000;

/**
 * The sessions of one `roster run` process, in memory (decision 60): a restart signs everyone out,
 * and logging out really ends a session, which a cookie derived from the token could not.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(private readonly now: () => number = Date.now) {}

  create(permission: ConsolePermission): ConsoleSession {
    this.forgetExpired();
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const session = {
      id: randomBytes(32).toString('base64url'),
      permission,
      csrf: randomBytes(24).toString('base64url'),
      expiresAt: this.now() + SESSION_SECONDS * 1000,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, or undefined (unknown, ended or expired). */
  tryGet(id: string | undefined): ConsoleSession | undefined {
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt > this.now()) return session;
    this.sessions.delete(session.id);
    return undefined;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  private forgetExpired(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}
