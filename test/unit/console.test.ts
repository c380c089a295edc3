import { describe, expect, it } from 'vitest';
import { ConsoleSessions } from '../../engine/server/console/console-sessions';
import { permissionOfToken } from '../../engine/server/console/console-tokens';
import { html } from '../../engine/server/console/html';
import { SignInThrottle } from '../../engine/server/console/sign-in-throttle';

describe('the console html template', () => {
  it('escapes every interpolated value, in text and in attributes', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it('keeps markup built by html, joins lists, and renders nothing for null, undefined and false', () => {
    const rows = ['a<b', 'c'].map((v) => html`<li>${v}</li>`);
    expect(html`<ul>${rows}</ul>${null}${undefined}${false}${0}`.text).toBe('<ul><li>a&lt;b</li><li>c</li></ul>0');
  });
});

describe('console sign-in', () => {
  const env = { ROSTER_API_TOKEN: 'read-token', ROSTER_CONSOLE_WRITE_TOKEN: 'write-token' };

  it('grants read for the read token, write for the write token, nothing for anything else', () => {
    expect(permissionOfToken('read-token', env)).toBe('read');
    expect(permissionOfToken('write-token', env)).toBe('write');
    expect(permissionOfToken('read-token ', env)).toBeUndefined();
    expect(permissionOfToken('', env)).toBeUndefined();
    expect(permissionOfToken('console-only', { ...env, ROSTER_CONSOLE_TOKEN: 'console-only' })).toBe('read');
    expect(permissionOfToken('read-token', { ...env, ROSTER_CONSOLE_TOKEN: 'console-only' })).toBeUndefined();
  });

  it('forgets a session when it ends or expires, and its id says nothing about the token', () => {
    let now = 0;
    const sessions = new ConsoleSessions(() => now);
    const session = sessions.create('read');
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.tryGet(session.id)).toBe(session);
    now += 12 * 60 * 60 * 1000;
    expect(sessions.tryGet(session.id)).toBeUndefined();
    const other = sessions.create('write');
    sessions.end(other.id);
    expect(sessions.tryGet(other.id)).toBeUndefined();
    expect(sessions.tryGet(undefined)).toBeUndefined();
  });
});

describe('the sign-in throttle', () => {
  it('refuses an address after 10 failures within 10 minutes until the oldest leaves the window, and forgets them on success', () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < 10; i++) {
      expect(throttle.waitMs('10.0.0.1')).toBe(0);
      throttle.recordFailure('10.0.0.1');
      now += 1000;
    }
    expect(throttle.waitMs('10.0.0.1')).toBe(10 * 60 * 1000 - 10_000);
    expect(throttle.waitMs('10.0.0.2')).toBe(0);
    now = 10 * 60 * 1000 + 1;
    expect(throttle.waitMs('10.0.0.1')).toBe(0);
    throttle.recordSuccess('10.0.0.1');
    throttle.recordFailure('10.0.0.1');
    expect(throttle.waitMs('10.0.0.1')).toBe(0);
  });
});
