import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import { sortKeys } from './canonical-json';
import type { ResourceDocument } from './resource-document';

/** Secret references are shown as `[secret]` in everything a plan prints. */
export function maskSecrets(text: string): string {
  return text.replace(/secret:\/\/[A-Za-z_][A-Za-z0-9_]*/g, '[secret]');
}

/** The canonical YAML of a document: keys sorted, so key order in files never shows as a change. */
export function canonicalYaml(document: ResourceDocument | undefined): string {
  return document === undefined ? '' : stringify(sortKeys(document), { lineWidth: 0 });
}

/** Unified diff (hunks only, no file headers) from `before` to `after`. */
export function renderDocumentDiff(before: ResourceDocument | undefined, after: ResourceDocument | undefined): string {
  const patch = createTwoFilesPatch(
    'applied',
    'desired',
    maskSecrets(canonicalYaml(before)),
    maskSecrets(canonicalYaml(after)),
    '',
    '',
    { context: 3 },
  );
  return patch
    .split('\n')
    .filter((line) => !/^(=+|Index:|--- |\+\+\+ )/.test(line))
    .join('\n')
    .replace(/\n+$/, '');
}
