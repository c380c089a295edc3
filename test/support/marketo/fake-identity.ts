import { randomUUID } from 'node:crypto';

interface IssuedToken {
  expiresAt: number;
  callsLeft: number;
}

/**
 * The identity side of the fake Marketo: issues access tokens for the right credentials and checks
 * the token of each API call. Like Marketo, it hands out the current token again (with what is left
 * of its lifetime) until that token expires; a token expires by time or, when scripted, after
 * serving a number of calls.
 */
export class FakeIdentity {
  private readonly tokens = new Map<string, IssuedToken>();
  private current: string | undefined;
  /** Every distinct token issued, in order. */
  readonly issued: string[] = [];

  constructor(
    private readonly credentials: { clientId: string; clientSecret: string },
    private readonly lifetimeSeconds: number,
    private readonly callsPerToken: number = Number.POSITIVE_INFINITY,
  ) {}

  /** The answer to `GET /identity/oauth/token?grant_type=client_credentials&client_id=..&client_secret=..`. */
  answerTokenRequest(query: Record<string, string>): { status: number; body: Record<string, unknown> } {
    if (query.grant_type !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: `Unsupported grant type: ${query.grant_type}` },
      };
    }
    if (query.client_id !== this.credentials.clientId || query.client_secret !== this.credentials.clientSecret) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Bad client credentials' } };
    }
    const token = this.liveCurrentToken() ?? this.issue();
    const secondsLeft = Math.max(1, Math.ceil((this.tokens.get(token)!.expiresAt - Date.now()) / 1000));
    return {
      status: 200,
      body: { access_token: token, token_type: 'bearer', expires_in: secondsLeft, scope: 'roster-api@example.com' },
    };
  }

  /**
   * The Marketo error code for an API call's `authorization` header: 600 without a token, 601 for
   * a token never issued, 602 for an expired one; undefined when the call may proceed (it then
   * uses up one of the token's calls).
   */
  checkCall(authorization: string | undefined): string | undefined {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    if (token === undefined) return '600';
    const issued = this.tokens.get(token);
    if (issued === undefined) return '601';
    if (issued.expiresAt <= Date.now() || issued.callsLeft <= 0) return '602';
    issued.callsLeft--;
    return undefined;
  }

  /**
   * Ends the current token as a scripted 601 or 602 says: a 601 token becomes unknown, a 602 token
   * expired. Either way the next token request gets a new token, as it would from Marketo.
   */
  endCurrentToken(code: '601' | '602'): void {
    if (this.current === undefined) return;
    if (code === '601') this.tokens.delete(this.current);
    else this.tokens.get(this.current)!.expiresAt = 0;
    this.current = undefined;
  }

  private liveCurrentToken(): string | undefined {
    const issued = this.current === undefined ? undefined : this.tokens.get(this.current);
    return issued && issued.expiresAt > Date.now() && issued.callsLeft > 0 ? this.current : undefined;
  }

  private issue(): string {
    const token = `${randomUUID()}:int`;
    this.tokens.set(token, { expiresAt: Date.now() + this.lifetimeSeconds * 1000, callsLeft: this.callsPerToken });
    this.current = token;
    this.issued.push(token);
    return token;
  }
}
