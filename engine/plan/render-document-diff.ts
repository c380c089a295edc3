import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { ResourceDocument } from '../config/resource';
import { sortKeys } from '../util/canonical-json';

/** Secret references are shown as `[secret]` in everything a plan prints. */
export function maskSecrets(text: string): string {
  return text.replace(/secret:\/\/[A-Za-z_][A-Za-z0-9_]*/g, '[secret]');
}

/** The canonical YAML of a document: keys sorted, so key order in files never shows as a change. */
export function canonicalYaml(document: ResourceDocument | undefined): string {
  return document === undefined ? '' : stringify(sortKeys(document), { lineWidth: 0 });
}

/**
 * Most lines a diff may add or remove before the plan stops showing it line by line. The line
 * diff costs (lines x edits): a document near the size limit with half its lines changed took the
 * plan minutes; with this bound it takes under a second, and no reviewer reads more lines anyway.
 */
export const MAX_DIFF_EDITS = 1000;

/** Unified diff (hunks only, no file headers) from `before` to `after`. */
export function renderDocumentDiff(before: ResourceDocument | undefined, after: ResourceDocument | undefined): string {
  const applied = maskSecrets(canonicalYaml(before));
  const desired = maskSecrets(canonicalYaml(after));
  const patch = createTwoFilesPatch('applied', 'desired', applied, desired, '', '', {
    context: 3,
    maxEditLength: MAX_DIFF_EDITS,
  });
  if (patch === undefined) return tooLargeToShow(applied, desired);
  return patch
    .split('\n')
    .filter((line) => !/^(=+|Index:|--- |\+\+\+ )/.test(line))
    .join('\n')
    .replace(/\n+$/, '');
}

/** What a plan shows instead of a diff of more than `MAX_DIFF_EDITS` lines. */
function tooLargeToShow(applied: string, desired: string): string {
  const lines = (text: string) => (text === '' ? 0 : text.split('\n').length).toLocaleString('en-US');
  return `@@ more than ${MAX_DIFF_EDITS.toLocaleString('en-US')} lines change (${lines(applied)} applied, ${lines(desired)} desired): too many to show line by line; review the change in the files' own diff @@`;
}
