import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRosterServer } from '../../../engine/server/roster-server';
import { testPool, uniqueSandbox } from '../../support/test-database';

/** The console's sign-in over real HTTP (no page is read: the sandbox need not exist). */
const sandbox = uniqueSandbox('signin');
const servers: Server[] = [];
let pool: Pool;

beforeAll(async () => {
  pool = await testPool();
});

afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await pool.end();
});

async function startServer(env: NodeJS.ProcessEnv): Promise<string> {
  const server = createRosterServer({ pool, sandbox, env, log: () => {} });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function signIn(base: string, token: string, headers: Record<string, string> = {}) {
  return fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token }), redirect: 'manual', headers });
}

describe('console sign-in', () => {
  it('is off, saying which variables to set, when no token is configured; its assets are still served', async () => {
    const base = await startServer({});
    const off = await fetch(`${base}/`);
    expect(off.status).toBe(503);
    expect(await off.text()).toContain('Set ROSTER_CONSOLE_TOKEN or ROSTER_API_TOKEN');
    const asset = await fetch(`${base}/console/assets/uPlot.iife.min.js`);
    expect([asset.status, asset.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('answers a session cookie that is HttpOnly and SameSite=Strict, Secure behind HTTPS, and never the token', async () => {
    const base = await startServer({ ROSTER_API_TOKEN: 'the-read-token' });
    const plain = await signIn(base, 'the-read-token');
    expect([plain.status, plain.headers.get('location')]).toEqual([303, '/']);
    const cookie = plain.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^roster_console=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(cookie).not.toContain('the-read-token');
    const proxied = await signIn(base, 'the-read-token', { 'x-forwarded-proto': 'https' });
    expect(proxied.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it('refuses an address after 10 wrong tokens in 10 minutes, even with the right one, saying when to come back', async () => {
    const base = await startServer({ ROSTER_API_TOKEN: 'the-read-token' });
    for (let i = 0; i < 10; i++) expect((await signIn(base, `guess-${i}`)).status).toBe(401);
    const refused = await signIn(base, 'the-read-token');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await refused.text()).toContain('Too many wrong tokens from this address; try again in 10 minutes.');
    expect(refused.headers.get('set-cookie')).toBeNull();
  });
});
