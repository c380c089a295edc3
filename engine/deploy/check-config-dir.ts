import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../config/load-config';
import { loadProject } from '../config/load-project';
import { formatProblem, type Problem, sortProblems } from '../config/problem';
import { type ValidatedConfig, validateConfig } from '../rules/validate-config';
import { allowedPrivateHosts } from '../util/private-address';

/** A config directory read and checked as `roster validate` does, for every command that reads files. */
export interface CheckedConfigDir {
  /** The directory as the user named it. */
  dir: string;
  /** The resource files' directory: the project's (roster.yaml found at `dir` or above), else `dir`. */
  root: string;
  /** `root` as messages show it: `dir`, or the project's directory relative to the current one. */
  displayRoot: string;
  /** The project's name (roster.yaml); undefined without a project file. */
  projectName?: string;
  fileCount: number;
  validated: ValidatedConfig;
  /** Sorted; empty when the configuration is valid. */
  problems: Problem[];
}

export async function checkConfigDir(
  dir: string,
  sandbox: string,
  io: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<CheckedConfigDir> {
  const missing = await missingDirectoryProblem(path.resolve(io.cwd, dir), dir);
  const project = await loadProject({ dir, cwd: io.cwd, sandbox });
  const { root, displayRoot, vars, ignore } = project;
  // A broken project file leaves `vars` unknown: reading the resources would only report consequences.
  const loaded =
    missing || project.problems.length > 0
      ? undefined
      : await loadConfig({ root, displayRoot, sandbox, environment: io.env, vars, ignore });
  const validated = validateConfig(loaded?.resources ?? [], {
    allowedPrivateHosts: allowedPrivateHosts(io.env),
    declaredKeys: loaded?.declaredKeys ?? new Set(),
    incomplete: (loaded?.unreadableFiles.length ?? 0) > 0,
  });
  const problems = sortProblems([
    ...(missing ? [missing] : []),
    ...project.problems,
    ...(loaded?.problems ?? []),
    ...validated.problems,
  ]);
  if (loaded && loaded.fileCount === 0 && problems.length === 0) {
    const message = 'no *.yaml, *.yml or *.json resource files found; pass the directory holding your resources';
    problems.push({ code: 'CONFIG_NO_FILES', file: dir, line: 0, column: 0, pointer: '', message });
  }
  const named = project.name === undefined ? {} : { projectName: project.name };
  return { dir, root, displayRoot, ...named, fileCount: loaded?.fileCount ?? 0, validated, problems };
}

/** Problems one per line, then a count: the text every command prints for an invalid configuration. */
export function renderProblemsText(problems: readonly Problem[]): string {
  const files = new Set(problems.filter((p) => p.line > 0).map((p) => p.file)).size;
  const where = files > 0 ? ` in ${files} file${files === 1 ? '' : 's'}` : '';
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `${problems.map(formatProblem).join('\n')}\n\n${count}${where}; nothing was changed.\n`;
}

async function missingDirectoryProblem(root: string, shown: string): Promise<Problem | undefined> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (stat?.isDirectory()) return undefined;
  const message = stat
    ? 'is a file, not a directory; pass the directory holding your resource files'
    : 'no such directory; pass the directory holding your resource files';
  return { code: 'CONFIG_READ', file: shown, line: 0, column: 0, pointer: '', message };
}
