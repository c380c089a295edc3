import * as path from 'node:path';
import { findProject } from './find-project';
import {
  PROJECT_FILE,
  parseProjectFile,
  projectVars,
  type TemplateVar,
  undeclaredSandboxProblem,
} from './parse-project-file';
import type { Problem } from './problem';

/** Where the resource files are and what the project file adds to reading them. */
export interface LoadedProject {
  /** Directory of the resource files: roster.yaml's directory, else the directory named. */
  root: string;
  /** `root` as messages show it (relative to the current directory when found above the one named). */
  displayRoot: string;
  /** The project's name; undefined without a project file. */
  name?: string;
  /** What templates read as `vars` (empty without a project file). */
  vars: Record<string, TemplateVar>;
  /** Paths the project file says to skip, as `.rosterignore` lines. */
  ignore: string[];
  problems: Problem[];
}

export interface LoadProjectOptions {
  /** The directory the user named (`.` by default), as they named it. */
  dir: string;
  cwd: string;
  sandbox: string;
}

/**
 * Finds roster.yaml at the named directory or above, and reads what it says for `sandbox`. Without
 * a project file the named directory is read as before, with no `vars`.
 */
export async function loadProject(options: LoadProjectOptions): Promise<LoadedProject> {
  const start = path.resolve(options.cwd, options.dir);
  const found = await findProject(start);
  if (!found) return { root: start, displayRoot: options.dir, vars: {}, ignore: [], problems: [] };
  const displayRoot = found.root === start ? options.dir : path.relative(options.cwd, found.root) || '.';
  const base = { root: found.root, displayRoot, vars: {}, ignore: [] };
  const parsed = parseProjectFile(found.bytes, path.join(displayRoot, PROJECT_FILE));
  if ('problems' in parsed) return { ...base, problems: parsed.problems };
  const undeclared = undeclaredSandboxProblem(parsed, options.sandbox);
  return {
    ...base,
    name: parsed.project.name,
    vars: projectVars(parsed.project, options.sandbox),
    ignore: parsed.project.ignore ?? [],
    problems: undeclared ? [undeclared] : [],
  };
}
