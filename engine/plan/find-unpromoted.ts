import type { PlannedChange } from './plan';
import type { FileSnapshot, RuntimeSnapshot } from './saved-plan';

/** The sandbox a promotion comes from, as it is: what its files say, what it holds, what it evaluated. */
export interface PromotionSource {
  sandbox: string;
  /** The files rendered for the source sandbox. */
  files: FileSnapshot;
  applied: RuntimeSnapshot['resources'];
  /** Per segment, the latest revision with a succeeded run. */
  evaluated: ReadonlyMap<string, number>;
}

/**
 * Pure: why the changes a promotion would make to the target are not yet proven in the source
 * sandbox, one reason per resource: not applied there as the files say (same document hash),
 * still applied there although the target deletes it, or a segment not evaluated since its
 * current revision was applied. Empty when every change was applied and evaluated first.
 */
export function findUnpromoted(changes: readonly PlannedChange[], source: PromotionSource): string[] {
  const files = new Map(source.files.resources.map((r) => [r.key, r]));
  const applied = new Map(source.applied.map((r) => [r.key, r]));
  const reasons: string[] = [];
  for (const change of changes) {
    const there = applied.get(change.key);
    if (change.action === 'delete') {
      if (there) reasons.push(`${change.key} is still applied in ${source.sandbox} (revision ${there.revision})`);
      continue;
    }
    if (!there) reasons.push(`${change.key} is not applied in ${source.sandbox}`);
    else if (there.specHash !== files.get(change.key)?.specHash)
      reasons.push(`${change.key} in ${source.sandbox} (revision ${there.revision}) is not what the files say`);
    else if (change.kind === 'Segment' && source.evaluated.get(change.name) !== there.revision)
      reasons.push(`${change.key} revision ${there.revision} was applied in ${source.sandbox} but not evaluated since`);
  }
  return reasons;
}
