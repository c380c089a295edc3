import { decodeText } from './decode-text';
import { mapSchemaErrors } from './map-schema-errors';
import { type LocatedDocument, parseDocuments } from './parse-documents';
import type { Problem } from './problem';
import type { ConfigFile } from './read-config-files';
import { renderTemplate, type TemplateContext } from './render-template';
import { type Resource, type ResourceKey, type ResourceKind, resourceKey } from './resource';
import { getSchemaValidators, RESOURCE_KINDS } from './schema-validator';

export interface ParsedConfig {
  /** Every schema-valid resource, in file order. */
  resources: Resource[];
  /** Every problem found while decoding, rendering, parsing and schema-validating. */
  problems: Problem[];
  /**
   * `Kind/name` of every document that names one, valid or not, so that later stages do not call
   * a resource "not declared" when it is declared but invalid.
   */
  declaredKeys: Set<ResourceKey>;
  /** Files of which nothing could be read (encoding, template or YAML errors): their names are unknown. */
  unreadableFiles: string[];
}

/**
 * Files in, schema-valid resources out: decode, render the template, parse every document and
 * validate it against its kind's schema. Pure: the caller reads the files. A file with problems
 * contributes its problems and, from its valid documents, its resources.
 */
export function parseConfig(files: readonly ConfigFile[], context: TemplateContext): ParsedConfig {
  const resources: Resource[] = [];
  const problems: Problem[] = [];
  const declaredKeys = new Set<ResourceKey>();
  const unreadableFiles: string[] = [];
  for (const file of files) {
    const decoded = decodeText(file.bytes, file.displayPath);
    const rendered = 'problem' in decoded ? decoded : renderTemplate(decoded.text, file.displayPath, context);
    if ('problem' in rendered) {
      problems.push(rendered.problem);
      unreadableFiles.push(file.displayPath);
      continue;
    }
    const parsed = parseDocuments(rendered.text, file.displayPath);
    problems.push(...parsed.problems);
    if (parsed.problems.length > 0) unreadableFiles.push(file.displayPath);
    for (const document of parsed.documents) {
      const entries = Array.isArray(document.value)
        ? document.value.map((v, i) => [v, `/${i}`] as const)
        : [[document.value, ''] as const];
      for (const [value, prefix] of entries) {
        // Audience tests sit beside the resources but are run by `roster test`, never applied (decision 51).
        if (isAudienceTest(value)) continue;
        const declared = declaredKey(value);
        if (declared) declaredKeys.add(declared);
        const result = toResource(value, prefix, document, file);
        if ('resource' in result) resources.push(result.resource);
        else problems.push(...result.problems);
      }
    }
  }
  return { resources, problems, declaredKeys, unreadableFiles };
}

/** The `Kind/name` a document claims, read leniently (before schema validation). */
function declaredKey(value: unknown): ResourceKey | undefined {
  const { kind, metadata } = (value ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
  return isKind(kind) && typeof metadata?.name === 'string' ? resourceKey(kind, metadata.name) : undefined;
}

function toResource(
  value: unknown,
  prefix: string,
  document: LocatedDocument,
  file: ConfigFile,
): { resource: Resource } | { problems: Problem[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const at = document.locate(prefix);
    const message =
      'this document is not a Roster resource; expected a mapping with apiVersion, kind, metadata and spec';
    return { problems: [{ code: 'CONFIG_NOT_RESOURCE', file: document.file, ...at, pointer: prefix, message }] };
  }
  const validators = getSchemaValidators();
  const kind = (value as { kind?: unknown }).kind;
  const validate = isKind(kind) ? validators.byKind[kind] : validators.envelope;
  if (!validate(value)) return { problems: mapSchemaErrors(validate.errors ?? [], document, prefix) };
  const typed = value as Omit<Resource, 'key' | 'origin' | 'name'>;
  const origin = {
    file: document.file,
    relativePath: file.relativePath,
    documentIndex: document.index,
    pointerPrefix: prefix,
    locate: (pointer: string) => document.locate(prefix + pointer),
  };
  const name = typed.metadata.name;
  return { resource: { ...typed, name, key: resourceKey(typed.kind, name), origin } as Resource };
}

/** A document of kind `AudienceTest`, whatever else it holds: `roster test` reads and checks it. */
export function isAudienceTest(value: unknown): boolean {
  return (value as { kind?: unknown } | null)?.kind === 'AudienceTest';
}

function isKind(value: unknown): value is ResourceKind {
  return typeof value === 'string' && (RESOURCE_KINDS as readonly string[]).includes(value);
}
