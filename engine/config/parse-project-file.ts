import type { ValidateFunction } from 'ajv/dist/2020';
import projectSchema from '../../schemas/v1/project.schema.json';
import { decodeText } from './decode-text';
import { mapSchemaErrors } from './map-schema-errors';
import { type LocatedDocument, parseDocuments } from './parse-documents';
import type { Problem } from './problem';
import { createSchemaAjv } from './schema-validator';

/** File name of the project file, at the root of an audience repository. */
export const PROJECT_FILE = 'roster.yaml';

/** A value a template reads as `vars.NAME`. */
export type TemplateVar = string | number | boolean;

/** roster.yaml as validated against schemas/v1/project.schema.json (which documents every field). */
export interface ProjectFile {
  name: string;
  description?: string;
  vars?: Record<string, TemplateVar>;
  sandboxes?: Record<string, { description?: string; vars?: Record<string, TemplateVar> }>;
  exportDirectory?: string;
  ignore?: string[];
}

/** A parsed project file with the means to locate its keys in problems. */
export interface ParsedProjectFile {
  project: ProjectFile;
  document: LocatedDocument;
}

/**
 * Decodes, parses and schema-checks roster.yaml. Pure: the caller reads the file. Every problem
 * is located (`file:line:col /pointer`) like those of resource files; nunjucks is not applied,
 * since the project file is what templates read.
 */
export function parseProjectFile(bytes: Buffer, file: string): ParsedProjectFile | { problems: Problem[] } {
  const decoded = decodeText(bytes, file);
  if ('problem' in decoded) return { problems: [decoded.problem] };
  const parsed = parseDocuments(decoded.text, file);
  if (parsed.problems.length > 0) return { problems: parsed.problems };
  const [document, extra] = parsed.documents;
  if (extra) {
    const at = extra.locate('');
    const message =
      'the project file holds one document; remove the `---` and what follows, or merge it into the first';
    return { problems: [{ code: 'CONFIG_PROJECT', file, ...at, pointer: '', message }] };
  }
  if (!document || document.value === null || document.value === undefined) {
    const message = 'the project file is empty; it needs at least `name: <project-name>` (see `roster init`)';
    return { problems: [{ code: 'CONFIG_PROJECT', file, line: 1, column: 1, pointer: '', message }] };
  }
  const validate = projectValidator();
  if (!validate(document.value)) return { problems: mapSchemaErrors(validate.errors ?? [], document) };
  return { project: document.value as ProjectFile, document };
}

/**
 * What templates read as `vars` in `sandbox`: `exportDirectory`, then the project's `vars`, then
 * the sandbox's own. Only the project file decides them, so a plan does not depend on who runs it.
 */
export function projectVars(project: ProjectFile, sandbox: string): Record<string, TemplateVar> {
  return {
    exportDirectory: project.exportDirectory ?? 'exports',
    ...project.vars,
    ...project.sandboxes?.[sandbox]?.vars,
  };
}

/** A problem when the project declares its sandboxes and `sandbox` is not one of them. */
export function undeclaredSandboxProblem(parsed: ParsedProjectFile, sandbox: string): Problem | undefined {
  const declared = Object.keys(parsed.project.sandboxes ?? {});
  if (declared.length === 0 || declared.includes(sandbox)) return undefined;
  const at = parsed.document.locate('/sandboxes');
  const message = `sandbox "${sandbox}" is not declared here; use one of ${declared.join(', ')} (--sandbox NAME), or declare it under sandboxes`;
  return { code: 'CONFIG_PROJECT', file: parsed.document.file, ...at, pointer: '/sandboxes', message };
}

let compiled: ValidateFunction | undefined;

function projectValidator(): ValidateFunction {
  if (compiled) return compiled;
  // The resource validators' Ajv (options and keywords), so errors map the same way.
  compiled = createSchemaAjv().compile(projectSchema);
  return compiled;
}
