/** Where in a resource file something is: 1-based line and column, and the JSON pointer. */
export interface SourcePosition {
  /** Path as the user should read it (relative to the directory they named). */
  file: string;
  /** 1-based; 0 when the problem concerns the path itself (a missing directory). */
  line: number;
  column: number;
  /** RFC 6901 JSON pointer into the document (`/spec/where/all/0`); empty for the whole file. */
  pointer: string;
}

/** Stage-prefixed problem codes, so scripts can match on them and users can search the docs. */
export type ProblemCode =
  | 'CONFIG_READ'
  | 'CONFIG_NO_FILES'
  | 'CONFIG_FILE_TOO_LARGE'
  | 'CONFIG_ENCODING'
  | 'CONFIG_TEMPLATE'
  | 'CONFIG_YAML'
  | 'CONFIG_DUPLICATE_KEY'
  | 'CONFIG_ALIAS_LIMIT'
  | 'CONFIG_DOCUMENT_TOO_LARGE'
  | 'CONFIG_TOO_DEEP'
  | 'CONFIG_SYMLINK'
  | 'CONFIG_NOT_RESOURCE'
  | 'CONFIG_SCHEMA'
  | 'CONFIG_SECRET_PLAINTEXT'
  | 'CONFIG_DUPLICATE_NAME'
  | 'CONFIG_UNKNOWN_REFERENCE'
  | 'CONFIG_CYCLE'
  | 'CONFIG_CONDITION'
  | 'CONFIG_UNKNOWN_ATTRIBUTE'
  | 'CONFIG_OPERATOR'
  | 'CONFIG_VALUE'
  | 'CONFIG_REGEX'
  | 'CONFIG_CRON'
  | 'CONFIG_STREAMING'
  | 'CONFIG_SUBJECT'
  | 'CONFIG_IDENTITY'
  | 'CONFIG_CUSTOM_FIELD'
  | 'CONFIG_PRESET'
  | 'CONFIG_SOURCE'
  | 'CONFIG_DESTINATION'
  | 'CONFIG_SSRF'
  | 'CONFIG_PROJECT'
  | 'CONFIG_TEST';

/** One thing wrong with the configuration, located precisely enough to fix without searching. */
export interface Problem extends SourcePosition {
  code: ProblemCode;
  /** What is wrong; then, after `; `, what is allowed or what to do. */
  message: string;
}

/** `CODE file:line:col /pointer: message`, the one line format every config problem is printed in. */
export function formatProblem(problem: Problem): string {
  // Line 0 marks a problem with a path but no position in it (a missing directory).
  const where = problem.line === 0 ? problem.file : `${problem.file}:${problem.line}:${problem.column}`;
  const pointer = problem.pointer === '' ? '' : ` ${problem.pointer}`;
  return `${problem.code} ${where}${pointer}: ${problem.message}`;
}

/** Problems in reading order: by file, then line, then column, then code. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
