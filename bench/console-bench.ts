import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { createRosterServer } from '../engine/server/roster-server';
import { seedAcmeSandbox } from '../test/support/acme-console-sandbox';
import type { BenchResult } from './measure';

const TOKEN = 'bench-console-token';
const RUNS = 9;
/** Issue 17: every console page loads in under 300 ms on the example data. */
const TARGET_MS = 300;

/**
 * The console's pages on the example project (examples/acme with its generated data, applied and
 * run): a server like `roster run`'s in this process, signed in once, each page fetched once to
 * warm up and then `RUNS` times; the median time to the whole page, per page.
 */
export async function benchConsole(databaseUrl: string): Promise<BenchResult[]> {
  const sandbox = `bench_console_${Date.now()}`;
  const acme = await seedAcmeSandbox(sandbox, databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const server = createRosterServer({ pool, sandbox, env: { ROSTER_API_TOKEN: TOKEN }, log: () => {} });
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cookie = await signIn(base);
    const { rows } = await pool.query<{ id: string }>(
      `select p.id from roster_${sandbox}.persons p join roster_${sandbox}.segment_memberships m on m.subject_id = p.id and m.segment = 'buying-committee' order by p.id limit 1`,
    );
    const person = rows[0]!.id;
    const pages = [
      '/',
      '/segments',
      '/segments/nurture-prospects',
      `/segments/buying-committee?explain=${person}`,
      '/sources',
      '/destinations',
      `/profiles/${person}`,
    ];
    const results: BenchResult[] = [];
    for (const page of pages) {
      const ms = await medianPageMs(`${base}${page}`, cookie);
      results.push({
        work: `console page ${page.replace(/\d+$/, 'ID')} (example data)`,
        roster: ms,
        unit: 'ms',
        target: `< ${TARGET_MS} ms`,
        pass: ms < TARGET_MS,
      });
    }
    return results;
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await pool.query(`drop schema if exists roster_${sandbox} cascade`).catch(() => undefined);
    await pool.end();
    await acme.close();
  }
}

async function signIn(base: string): Promise<string> {
  const answer = await fetch(`${base}/login`, {
    method: 'POST',
    body: new URLSearchParams({ token: TOKEN }),
    redirect: 'manual',
  });
  const cookie = answer.headers.get('set-cookie')?.split(';')[0];
  if (answer.status !== 303 || !cookie) throw new Error(`console sign-in answered ${answer.status}`);
  return cookie;
}

async function medianPageMs(url: string, cookie: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const start = process.hrtime.bigint();
    const answer = await fetch(url, { headers: { cookie } });
    await answer.text();
    if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
