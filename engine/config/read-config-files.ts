import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isExportManifest } from './is-export-manifest';
import { fileIsSavedPlan, isSavedPlan } from './is-saved-plan';
import type { Problem } from './problem';

/** A resource file as read from disk, before decoding. */
export interface ConfigFile {
  /** Path shown to the user: the directory as they named it, joined with the file's relative path. */
  displayPath: string;
  /** Path relative to the config root, with `/` separators (stable across machines). */
  relativePath: string;
  absolutePath: string;
  bytes: Buffer;
}

export interface ReadConfigFilesResult {
  files: ConfigFile[];
  problems: Problem[];
}

/** Largest resource file read; larger files are refused unread, so memory stays bounded. */
export const MAX_CONFIG_FILE_BYTES = 2 * 1024 * 1024;

const RESOURCE_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
/** Files that commonly sit beside resources but are not resources. */
const ALWAYS_IGNORED = [
  /^Pulumi(\..*)?\.ya?ml$/,
  /^package(-lock)?\.json$/,
  /^tsconfig.*\.json$/,
  /^biome\.json$/,
  /^roster\.ya?ml$/,
];
const IGNORE_FILE = '.rosterignore';

/**
 * Every `*.yaml`, `*.yml` and `*.json` under `root`, in path order, skipping hidden entries,
 * `node_modules`, what `.rosterignore` lists (one path or `*` glob per line, relative to root) and
 * the manifests of file destinations that export into the directory, and saved plans (`plan --out`). Symbolic links to files
 * inside `root` are read; other links are reported (`CONFIG_SYMLINK`).
 */
export async function readConfigFiles(
  root: string,
  displayRoot: string = root,
  extraIgnore: readonly string[] = [],
): Promise<ReadConfigFilesResult> {
  const problems: Problem[] = [];
  const absoluteRoot = path.resolve(root);
  const ignore = await readIgnoreList(absoluteRoot, extraIgnore);
  const listing: Listing = { absoluteRoot, realRoot: await fs.realpath(absoluteRoot), displayRoot, ignore, problems };
  const relativePaths = (await listFiles(listing, '')).sort();
  const files: ConfigFile[] = [];
  for (const relativePath of relativePaths) {
    const absolutePath = path.join(absoluteRoot, relativePath);
    const displayPath = path.join(displayRoot, relativePath);
    const read = await readBounded(absolutePath, displayPath);
    if ('problem' in read) {
      if (read.problem.code !== 'CONFIG_FILE_TOO_LARGE' || !(await fileIsSavedPlan(absolutePath)))
        problems.push(read.problem);
    } else if (!isExportManifest(path.basename(relativePath), read.bytes) && !isSavedPlan(read.bytes))
      files.push({ displayPath, relativePath, absolutePath, bytes: read.bytes });
  }
  return { files, problems };
}

async function readBounded(
  absolutePath: string,
  displayPath: string,
): Promise<{ bytes: Buffer } | { problem: Problem }> {
  const at = { file: displayPath, line: 1, column: 1, pointer: '' };
  try {
    const stat = await fs.stat(absolutePath);
    if (stat.size > MAX_CONFIG_FILE_BYTES) {
      const message = `file is ${formatMiB(stat.size)}; resource files are limited to ${formatMiB(MAX_CONFIG_FILE_BYTES)}; split it into several files, and keep long value lists in data (a source or marketing list) rather than in conditions`;
      return { problem: { code: 'CONFIG_FILE_TOO_LARGE', ...at, message } };
    }
    return { bytes: await fs.readFile(absolutePath) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      problem: { code: 'CONFIG_READ', ...at, message: `cannot read the file (${reason}); check its permissions` },
    };
  }
}

interface Listing {
  absoluteRoot: string;
  /** The root with symbolic links resolved: what a followed link must stay inside. */
  realRoot: string;
  displayRoot: string;
  ignore: IgnoreList;
  problems: Problem[];
}

async function listFiles(listing: Listing, relativeDir: string): Promise<string[]> {
  const entries = await fs.readdir(path.join(listing.absoluteRoot, relativeDir), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || listing.ignore(relativePath)) continue;
    if (entry.isDirectory()) found.push(...(await listFiles(listing, relativePath)));
    else if (entry.isFile() && isResourceFileName(entry.name)) found.push(relativePath);
    else if (entry.isSymbolicLink() && (await isFollowedLink(listing, relativePath))) found.push(relativePath);
  }
  return found;
}

/**
 * A symbolic link is read as a resource file when it leads to a file inside the configuration
 * directory. Links elsewhere, to directories, in loops or to nothing are reported, never skipped in
 * silence: a file that vanished from the listing would be planned as a deletion.
 */
async function isFollowedLink(listing: Listing, relativePath: string): Promise<boolean> {
  const absolutePath = path.join(listing.absoluteRoot, relativePath);
  const refuse = (message: string) => {
    const file = path.join(listing.displayRoot, relativePath);
    listing.problems.push({ code: 'CONFIG_SYMLINK', file, line: 0, column: 0, pointer: '', message });
    return false;
  };
  let target: string;
  try {
    target = await fs.realpath(absolutePath);
  } catch (error) {
    if (!isResourceFileName(relativePath)) return false; // like any other file that is not a resource
    const reason = (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'it is a loop' : 'its target does not exist';
    return refuse(`is a symbolic link that cannot be followed (${reason}); fix the link or remove it`);
  }
  if ((await fs.stat(target)).isDirectory())
    return refuse(
      'is a symbolic link to a directory, which is not followed; link the resource files themselves, or list the link in .rosterignore if it holds no resources',
    );
  if (!isResourceFileName(relativePath)) return false;
  const inside = path.relative(listing.realRoot, target);
  if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside))
    return refuse(
      `is a symbolic link to ${await fs.readlink(absolutePath)}, outside the configuration directory; copy the file into the directory, so that what is reviewed is what is applied`,
    );
  return true;
}

function isResourceFileName(name: string): boolean {
  const base = path.basename(name);
  return RESOURCE_EXTENSIONS.has(path.extname(base).toLowerCase()) && !ALWAYS_IGNORED.some((re) => re.test(base));
}

type IgnoreList = (relativePath: string) => boolean;

async function readIgnoreList(absoluteRoot: string, extraIgnore: readonly string[]): Promise<IgnoreList> {
  // No ignore file: only the extra lines (the project file's `ignore`).
  const text = await fs.readFile(path.join(absoluteRoot, IGNORE_FILE), 'utf8').catch(() => '');
  const patterns = [...text.split(/\r?\n/), ...extraIgnore]
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(globToRegExp);
  return (relativePath) => patterns.some((re) => re.test(relativePath));
}

/** `data/` or `data` ignores the directory; `*` matches within one path segment. */
function globToRegExp(pattern: string): RegExp {
  const trimmed = pattern.replace(/^\/+/, '').replace(/\/+$/, '');
  const body = trimmed
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]*');
  return new RegExp(`^${body}(/.*)?$`);
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
