import { canonicalJson } from '../util/canonical-json';
import type { ResourceInputs } from './resource-document';

/** What changing a resource from `olds` to `news` means. */
export interface InputsDiff {
  changes: boolean;
  /** Input paths whose change forces a replacement (delete then create). */
  replaces: string[];
  /** Why, in a reviewer's words; set when `replaces` is not empty. */
  replaceReason?: string;
  /** A change the document diff does not show, in a reviewer's words (a file source's new directory). */
  note?: string;
}

/**
 * Fields that cannot change in place. A segment's subject decides what its members are, a
 * source's or destination's type what its state means: changing them starts from scratch.
 */
const IMMUTABLE_SPEC_FIELDS: Record<string, readonly string[]> = {
  Source: ['type'],
  IdentityMapping: [],
  Segment: ['subject'],
  Destination: ['type'],
};

/**
 * Pure: compares desired inputs with applied ones. The document counts, and for a file source the
 * directory its relative paths resolve against (its file's directory under `configRoot`): after the
 * repository moved, the runtime would otherwise keep reading the old place. `managedBy` and
 * `gitCommit` describe how it was applied, not what it is.
 */
export function diffResourceInputs(olds: ResourceInputs, news: ResourceInputs): InputsDiff {
  const replaces: string[] = [];
  const reasons: string[] = [];
  for (const field of ['sandbox', 'kind', 'name'] as const) {
    if (olds[field] !== news[field]) {
      replaces.push(field);
      reasons.push(`${field} changed from ${olds[field]} to ${news[field]}`);
    }
  }
  const oldSpec = olds.document?.spec ?? {};
  const newSpec = news.document?.spec ?? {};
  for (const field of IMMUTABLE_SPEC_FIELDS[news.kind] ?? []) {
    if (canonicalJson(oldSpec[field]) !== canonicalJson(newSpec[field])) {
      replaces.push(`document.spec.${field}`);
      reasons.push(
        `spec.${field} changed from ${String(oldSpec[field])} to ${String(newSpec[field])}, which cannot change in place`,
      );
    }
  }
  // A registry row written before config roots were recorded gets one (file sources need it).
  const missingRoot = olds.configRoot === undefined && news.configRoot !== undefined;
  const [oldDir, newDir] = [fileSourceDir(olds), fileSourceDir(news)];
  const moved = oldDir !== undefined && newDir !== undefined && oldDir !== newDir;
  const changes =
    replaces.length > 0 || missingRoot || moved || canonicalJson(olds.document) !== canonicalJson(news.document);
  const note = moved ? `file paths resolve against ${newDir} (applied: ${oldDir})` : undefined;
  return {
    changes,
    replaces,
    ...(replaces.length > 0 ? { replaceReason: reasons.join('; ') } : {}),
    ...(note ? { note } : {}),
  };
}

/** The directory a file source reads relative paths from, as the runtime computes it; else undefined. */
function fileSourceDir(inputs: ResourceInputs): string | undefined {
  if (inputs.kind !== 'Source' || inputs.document?.spec?.type !== 'file' || !inputs.configRoot) return undefined;
  return [inputs.configRoot, ...inputs.sourceFile.split('/').slice(0, -1)].join('/');
}
