import { promises as fs } from 'node:fs';
import * as path from 'node:path';
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
 * `node_modules` and what `.rosterignore` lists (one path or `*` glob per line, relative to root).
 */
export async function readConfigFiles(
  root: string,
  displayRoot: string = root,
  extraIgnore: readonly string[] = [],
): Promise<ReadConfigFilesResult> {
  const problems: Problem[] = [];
  const absoluteRoot = path.resolve(root);
  const ignore = await readIgnoreList(absoluteRoot, extraIgnore);
  const relativePaths = (await listFiles(absoluteRoot, '', ignore)).sort();
  const files: ConfigFile[] = [];
  for (const relativePath of relativePaths) {
    const absolutePath = path.join(absoluteRoot, relativePath);
    const displayPath = path.join(displayRoot, relativePath);
    const read = await readBounded(absolutePath, displayPath);
    if ('problem' in read) problems.push(read.problem);
    else files.push({ displayPath, relativePath, absolutePath, bytes: read.bytes });
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

async function listFiles(absoluteRoot: string, relativeDir: string, ignore: IgnoreList): Promise<string[]> {
  const entries = await fs.readdir(path.join(absoluteRoot, relativeDir), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    const relativePath = relativeDir === '' ? entry.name : `${relativeDir}/${entry.name}`;
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || ignore(relativePath)) continue;
    if (entry.isDirectory()) found.push(...(await listFiles(absoluteRoot, relativePath, ignore)));
    else if (entry.isFile() && isResourceFileName(entry.name)) found.push(relativePath);
  }
  return found;
}

function isResourceFileName(name: string): boolean {
  return RESOURCE_EXTENSIONS.has(path.extname(name).toLowerCase()) && !ALWAYS_IGNORED.some((re) => re.test(name));
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
