import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pool } from 'pg';
import type { ConnectorEnvironment } from '../../engine/activation/connector';
import { main } from '../../engine/cli/main';
import { sandboxSchema } from '../../engine/runtime/sandbox-schema';

/** Signing key of the benchmark's webhook destinations and receivers. */
export const HOOK_SECRET = 'bench-hook-secret';

/**
 * Variables the benchmark's roster commands and delivery workers see: the local receivers and the
 * fake Marketo listen on 127.0.0.1, which the SSRF rules refuse unless it is allowed.
 */
export function activationEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ROSTER_ALLOW_PRIVATE_HOSTS: '127.0.0.1', HOOK_SECRET, ...extra };
}

/** A connector environment for in-process delivery; error lines are kept in `errors` for the report. */
export function connectorEnvironment(
  env: NodeJS.ProcessEnv,
  errors: string[],
  marketo?: ConnectorEnvironment['marketo'],
): ConnectorEnvironment {
  return {
    env,
    cwd: process.cwd(),
    log: (entry) => {
      if (entry.level === 'error') errors.push(JSON.stringify(entry));
    },
    ...(marketo ? { marketo } : {}),
  };
}

/** Writes `files` (name -> text) into `dir` and applies them to `sandbox` with `env`; throws with roster's output when it fails. */
export async function applyProject(
  databaseUrl: string,
  target: { dir: string; sandbox: string; env: NodeJS.ProcessEnv },
  files: Record<string, string>,
): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(target.dir, name)), { recursive: true });
    await fs.writeFile(path.join(target.dir, name), text);
  }
  await rosterWithEnv(['apply', target.dir, '--sandbox', target.sandbox, '--yes'], databaseUrl, target);
}

/** Runs a `roster` command in this process with `env`; throws naming it, with its output, when it fails. */
export async function rosterWithEnv(
  args: string[],
  databaseUrl: string,
  options: { dir: string; env: NodeJS.ProcessEnv },
): Promise<void> {
  const output: string[] = [];
  const io = {
    stdout: (text: string) => {
      output.push(text);
    },
    stderr: (text: string) => {
      output.push(text);
    },
    env: { ...options.env, DATABASE_URL: databaseUrl },
    cwd: options.dir,
    isTTY: false,
  };
  const code = await main(args, io);
  if (code !== 0) throw new Error(`roster ${args.join(' ')} exited ${code}:\n${output.join('')}`);
}

/** The email of bulk-loaded person `i` (also the fake Marketo lead's). */
export function benchEmail(i: number): string {
  return `person${i}@account${1 + (i % 1000)}.example`;
}

/**
 * Fills `persons` (ids 1..count, every one with an email) and their 1,000 accounts directly with
 * SQL, as if sources had been ingested and stitched: activation benchmarks measure delivery, not
 * ingestion. Emails follow `benchEmail`.
 */
export async function loadPersons(pool: Pool, schema: string, count: number): Promise<void> {
  await pool.query(
    `insert into ${schema}.accounts (id, canonical_key, name, domain, industry)
     select i, 'bench/accounts/' || i, 'Account ' || i, 'account' || i || '.example',
            (array['Technology','Financial Services','Manufacturing','Retail','Healthcare'])[1 + i % 5]
     from generate_series(1, 1000) i`,
  );
  await pool.query(
    `insert into ${schema}.persons (id, canonical_key, email, first_name, last_name, job_title, account_id)
     select i, 'bench/persons/' || i, 'person' || i || '@account' || (1 + i % 1000) || '.example',
            'First' || i, 'Last' || i,
            (array['VP Engineering','Director of IT','Analyst','Chief Financial Officer','Engineer'])[1 + i % 5],
            1 + i % 1000
     from generate_series(1, $1::int) i`,
    [count],
  );
  await pool.query(`analyze ${schema}.accounts`);
  await pool.query(`analyze ${schema}.persons`);
}

/** Drops the schemas of `sandboxes`; best effort (the benchmark's result is already taken). */
export async function dropSandboxes(pool: Pool, sandboxes: readonly string[]): Promise<void> {
  for (const sandbox of sandboxes) {
    await pool.query(`drop schema if exists ${sandboxSchema(sandbox)} cascade`).catch(() => undefined);
  }
}

/** A fatal benchmark failure: the figures would not mean what they say. */
export function failLoudly(what: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new Error(`${what} is not valid:\n  - ${problems.join('\n  - ')}`);
}
