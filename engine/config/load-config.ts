import { type ParsedConfig, parseConfig } from './parse-config';
import { readConfigFiles } from './read-config-files';
import { allowListedEnv, type TemplateContext } from './render-template';

export interface LoadConfigOptions {
  /** Directory holding the resource files. */
  root: string;
  /** How paths are shown in messages; defaults to `root` as given. */
  displayRoot?: string;
  sandbox: string;
  /** Environment the allow-listed `env` is taken from; defaults to `process.env`. */
  environment?: NodeJS.ProcessEnv;
  /** What templates read as `vars` (the project file's variables for the sandbox). */
  vars?: Readonly<Record<string, string | number | boolean>>;
  /** More paths to skip, as `.rosterignore` lines (the project file's `ignore`). */
  ignore?: readonly string[];
}

export interface LoadedConfig extends ParsedConfig {
  /** Number of resource files read. */
  fileCount: number;
}

/** Reads every resource file under `root` and parses them (the only I/O of the config stage). */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const read = await readConfigFiles(options.root, options.displayRoot ?? options.root, options.ignore);
  const context: TemplateContext = {
    sandbox: options.sandbox,
    env: allowListedEnv(options.environment ?? process.env),
    ...(options.vars ? { vars: options.vars } : {}),
  };
  const parsed = parseConfig(read.files, context);
  return {
    ...parsed,
    problems: [...read.problems, ...parsed.problems],
    // A file too large or unreadable is as unknown as one that does not parse.
    unreadableFiles: [...read.problems.map((p) => p.file), ...parsed.unreadableFiles],
    fileCount: read.files.length + read.problems.length,
  };
}
