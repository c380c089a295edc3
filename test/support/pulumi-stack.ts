import { execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalWorkspace, PulumiCommand, type Stack } from '@pulumi/pulumi/automation';
import { runPulumiProgram } from '../../providers/pulumi-program';
import { ROOT } from './run-roster';

/** The CLI version `tools/pulumi-cli/install.sh` builds: the one of `@pulumi/pulumi` in package.json. */
export const PULUMI_VERSION = '3.248.0';

/**
 * Where `tools/pulumi-cli/install.sh` cached the Pulumi CLI (`ROSTER_PULUMI_CLI` when CI exported
 * it), or undefined when it was never built here: the tests that need it then skip, saying why.
 */
export function tryGetPulumiCli(): string | undefined {
  const cache =
    process.env.ROSTER_PULUMI_CACHE ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'roster', `pulumi-${PULUMI_VERSION}`);
  const bin = process.env.ROSTER_PULUMI_CLI || path.join(cache, 'bin', 'pulumi');
  return existsSync(bin) ? bin : undefined;
}

export interface PulumiProject {
  /** The Pulumi project directory (the workspace's workDir), outside the repository. */
  dir: string;
  /** The file backend's directory (`PULUMI_BACKEND_URL=file://...`), where the state files are. */
  backend: string;
  /** Environment of every CLI run, and through it of the dynamic-provider host. */
  env: Record<string, string>;
  cli: string;
}

/**
 * A Pulumi project in `work` laid out as a user's project that installed Roster: its
 * `node_modules` holds `roster-cdp` (this checkout, under the package's name) and `@pulumi`, so the dynamic-provider host,
 * started in this directory, finds both the SDK and the provider runtime by package name. Offline:
 * file backend, PULUMI_HOME inside `work`, no update check, no plugin download.
 */
export async function createPulumiProject(
  work: string,
  cli: string,
  env: Record<string, string>,
): Promise<PulumiProject> {
  const dir = path.join(work, 'project');
  const backend = path.join(work, 'backend');
  await fs.mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await fs.mkdir(backend, { recursive: true });
  await fs.symlink(ROOT, path.join(dir, 'node_modules', 'roster-cdp'), 'dir');
  await fs.symlink(path.join(ROOT, 'node_modules', '@pulumi'), path.join(dir, 'node_modules', '@pulumi'), 'dir');
  const host = path.join(ROOT, 'node_modules', '@pulumi', 'pulumi');
  return {
    dir,
    backend,
    cli,
    env: {
      ...env,
      PATH: [path.dirname(cli), host, process.env.PATH ?? ''].join(path.delimiter),
      PULUMI_HOME: path.join(work, 'pulumi-home'),
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: 'roster-e2e-passphrase',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
    },
  };
}

export interface StackOptions {
  sandbox: string;
  configDir: string;
  databaseUrl: string;
}

/**
 * The stack `sandbox` of `project`, driven through the automation API with the repository's
 * program (`runPulumiProgram`) inline: the CLI talks to a language runtime served from this
 * process, so no `pulumi-language-nodejs` is needed. Config as a user sets it: `roster:configDir`
 * and `roster:databaseUrl` (secret).
 */
export async function openRosterStack(project: PulumiProject, options: StackOptions): Promise<Stack> {
  const pulumiCommand = await PulumiCommand.get({ root: path.dirname(path.dirname(project.cli)) });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: options.sandbox, projectName: 'roster', program: runPulumiProgram },
    {
      workDir: project.dir,
      pulumiHome: project.env.PULUMI_HOME,
      pulumiCommand,
      envVars: project.env,
      projectSettings: { name: 'roster', runtime: 'nodejs', backend: { url: project.env.PULUMI_BACKEND_URL } },
    },
  );
  await stack.setConfig('roster:configDir', { value: options.configDir });
  await stack.setConfig('roster:databaseUrl', { value: options.databaseUrl, secret: true });
  return stack;
}

/** The stack's state file in the file backend, as the engine wrote it. */
export async function readStateFile(project: PulumiProject, sandbox: string): Promise<string> {
  return fs.readFile(path.join(project.backend, '.pulumi', 'stacks', 'roster', `${sandbox}.json`), 'utf8');
}

/** `pulumi stack export` run as a user runs it: no `--show-secrets`. */
export function exportStackAsUser(project: PulumiProject, sandbox: string): string {
  return execFileSync(project.cli, ['stack', 'export', '--stack', sandbox], {
    cwd: project.dir,
    encoding: 'utf8',
    env: { ...process.env, ...project.env },
  });
}

/** A Pulumi stack over a copy of examples/acme (without its data), in a temporary directory. */
export interface AcmeStack {
  work: string;
  configDir: string;
  project: PulumiProject;
  stack: Stack;
}

/**
 * Copies examples/acme into a temporary directory and opens a stack of it for `sandbox`. The CLI and
 * the provider host get a DATABASE_URL that leads nowhere: the providers must use the stack's secret
 * `roster:databaseUrl`, which reaches them only through the engine's Configure.
 */
export async function openAcmeStack(
  cli: string,
  options: { prefix: string; sandbox: string; databaseUrl: string; secrets: Record<string, string> },
): Promise<AcmeStack> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), options.prefix));
  const configDir = path.join(work, 'acme');
  await fs.cp(path.join(ROOT, 'examples', 'acme'), configDir, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}data`),
  });
  const project = await createPulumiProject(work, cli, {
    ...options.secrets,
    DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none',
  });
  const stack = await openRosterStack(project, {
    sandbox: options.sandbox,
    configDir,
    databaseUrl: options.databaseUrl,
  });
  return { work, configDir, project, stack };
}
