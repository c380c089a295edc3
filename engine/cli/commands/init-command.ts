import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { packageVersion } from '../../util/package-root';
import { type CiPlatform, ciKitFiles } from '../ci-kit-files';
import { type CliIo, EXIT } from '../cli-io';
import { CommandError } from '../command-error';
import { PACKAGE_NAME, type StarterFile, starterProjectFiles } from '../starter-project-files';
import { UsageError } from '../usage-error';

export interface InitOptions {
  dir: string;
  /** Project name; default: the directory's name made valid. */
  name?: string;
  format: 'text' | 'json';
  /** Also write the CI kit for this platform; in an existing project, only the CI kit. */
  ci?: CiPlatform;
}

/** The `--format json` document of `roster init`; documented in docs/cli.md. */
export interface InitReport {
  project: string;
  directory: string;
  /** Files written, relative to the directory. */
  written: string[];
  /** Files that existed and were left as they were (only package.json may be). */
  kept: string[];
}

const PROJECT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** A file a project may already have (npm install wrote it): kept, never overwritten. */
const KEEP_IF_PRESENT = new Set(['package.json', '.gitignore']);

/**
 * `roster init [dir]`: writes a new audience repository (see `starterProjectFiles`). Refuses a
 * directory that already holds a project file or any of the files it would write; writes nothing then.
 */
export async function runInit(options: InitOptions, io: CliIo): Promise<number> {
  const root = path.resolve(io.cwd, options.dir);
  const name = options.name ?? nameFromDirectory(root);
  if (!PROJECT_NAME.test(name))
    throw new UsageError(
      `--name "${name}" is not a valid project name; use lower-case letters, digits and hyphens, starting with a letter`,
    );
  // `--ci` in an existing project adds the pipeline only.
  const hasProject = options.ci !== undefined && (await fs.stat(path.join(root, 'roster.yaml')).catch(() => undefined));
  const files = [
    ...(hasProject ? [] : starterProjectFiles(name, packageVersion())),
    ...(options.ci ? ciKitFiles(options.ci) : []),
  ];
  const present = await presentFiles(root, files);
  refuseExisting(options.dir, present);
  await fs.mkdir(root, { recursive: true });
  const written: string[] = [];
  for (const file of files.filter((f) => !present.includes(f.path))) {
    await fs.mkdir(path.dirname(path.join(root, file.path)), { recursive: true });
    await fs.writeFile(path.join(root, file.path), file.text, { flag: 'wx' });
    written.push(file.path);
  }
  const report: InitReport = { project: name, directory: options.dir, written, kept: present };
  io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
  return EXIT.ok;
}

async function presentFiles(root: string, files: readonly StarterFile[]): Promise<string[]> {
  const present: string[] = [];
  for (const file of files)
    if (await fs.stat(path.join(root, file.path)).catch(() => undefined)) present.push(file.path);
  return present;
}

function refuseExisting(dir: string, present: readonly string[]): void {
  if (present.includes('roster.yaml'))
    throw new CommandError(
      'INIT_EXISTS',
      `${path.join(dir, 'roster.yaml')} exists: ${dir} is already a Roster project; nothing was written (roster init never overwrites; pick another directory)`,
    );
  const clashing = present.filter((file) => !KEEP_IF_PRESENT.has(file));
  if (clashing.length > 0)
    throw new CommandError(
      'INIT_EXISTS',
      `${clashing.map((file) => path.join(dir, file)).join(', ')} already exist${clashing.length === 1 ? 's' : ''}; nothing was written (roster init never overwrites; move them away or pick another directory)`,
    );
}

/** `My Audiences` -> `my-audiences`; a name that cannot be made valid falls back to `audiences`. */
function nameFromDirectory(root: string): string {
  const slug = path
    .basename(root)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 63);
  return PROJECT_NAME.test(slug) ? slug : 'audiences';
}

function renderText(report: InitReport): string {
  const lines = [`Created the Roster project ${report.project} in ${report.directory}:`];
  for (const file of report.written) lines.push(`  ${file}`);
  for (const file of report.kept) lines.push(`  ${file} (existed; kept as it was)`);
  if (report.kept.includes('package.json'))
    lines.push(
      '',
      `package.json existed: make sure it lists ${PACKAGE_NAME} (npm install --save-dev ${PACKAGE_NAME}).`,
    );
  const pipeline = report.written.find((file) => file.startsWith('.github/') || file === '.gitlab-ci.yml');
  if (pipeline)
    lines.push(
      '',
      `${pipeline} runs validate, test and plan on merge requests, apply and promotion on merge: set the secrets listed at its top.`,
    );
  const cd = report.directory === '.' ? [] : [`  cd ${report.directory}`];
  lines.push('', 'Next:', ...cd, '  npm install', '  npx roster validate', '  npx roster plan', '');
  return lines.join('\n');
}
