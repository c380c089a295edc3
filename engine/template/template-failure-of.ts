/** Where a template failed and why, in words a user can act on. */
export interface TemplateFailure {
  line: number;
  column: number;
  message: string;
  /** The template did something Roster does not allow (as opposed to a syntax or undefined error). */
  refused: boolean;
}

interface NunjucksError {
  message?: string;
  lineno?: number;
  colno?: number;
}

/** Reads position and reason out of what `compileTemplate` or `render` threw. */
export function templateFailureOf(error: unknown): TemplateFailure {
  const e = (error ?? {}) as NunjucksError;
  const full = typeof e.message === 'string' ? e.message : String(error);
  // nunjucks puts the position in the message ("[Line 3, Column 6]") more reliably than in lineno/colno.
  const position = /\[Line (\d+), Column (\d+)\]/.exec(full);
  const line = position ? Number(position[1]) : (e.lineno ?? 1);
  const column = position ? Number(position[2]) : (e.colno ?? 1);
  const reason = full
    .split('\n')
    .pop()!
    .replace(/^\s*(\(unknown path\)\s*)?/, '')
    .replace(/^(Template render error|Error): /, '');
  const refused = reason.startsWith('TemplateRefusal: ');
  return {
    line: Math.max(1, line),
    column: Math.max(1, column),
    message: reason.replace(/^TemplateRefusal: /, ''),
    refused,
  };
}
