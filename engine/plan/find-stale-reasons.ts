import type { FileSnapshot, RuntimeSnapshot } from './saved-plan';

/**
 * Pure: why a saved plan no longer describes what applying it would do, one reason per resource:
 * a resource changed, added or removed in the files, or changed, applied or deleted in the runtime
 * since the plan was made. Empty when the plan still holds.
 */
export function findStaleReasons(
  saved: { files: FileSnapshot; runtime: RuntimeSnapshot },
  now: { files: FileSnapshot; runtime: RuntimeSnapshot },
): string[] {
  return [...fileReasons(saved.files, now.files), ...runtimeReasons(saved.runtime, now.runtime)];
}

function fileReasons(saved: FileSnapshot, now: FileSnapshot): string[] {
  const before = new Map(saved.resources.map((r) => [r.key, r]));
  const after = new Map(now.resources.map((r) => [r.key, r]));
  const reasons: string[] = [];
  for (const [key, r] of after) {
    const old = before.get(key);
    if (!old) reasons.push(`${key} was added to the files (${r.sourceFile})`);
    else if (old.specHash !== r.specHash) reasons.push(`${key} changed in the files (${r.sourceFile})`);
  }
  for (const [key, r] of before)
    if (!after.has(key)) reasons.push(`${key} was removed from the files (was in ${r.sourceFile})`);
  return reasons;
}

function runtimeReasons(saved: RuntimeSnapshot, now: RuntimeSnapshot): string[] {
  if (saved.sandboxExists !== now.sandboxExists)
    return [now.sandboxExists ? 'the sandbox was created in the runtime' : 'the sandbox was dropped from the runtime'];
  const before = new Map(saved.resources.map((r) => [r.key, r]));
  const after = new Map(now.resources.map((r) => [r.key, r]));
  const reasons: string[] = [];
  for (const [key, r] of after) {
    const old = before.get(key);
    if (!old) reasons.push(`${key} was applied in the runtime (revision ${r.revision})`);
    else if (old.revision !== r.revision)
      reasons.push(`${key} changed in the runtime (revision ${old.revision} -> ${r.revision})`);
    else if (old.specHash !== r.specHash)
      reasons.push(`${key} changed in the runtime (its document was edited outside Roster at revision ${r.revision})`);
  }
  for (const [key, r] of before)
    if (!after.has(key)) reasons.push(`${key} was deleted in the runtime (was revision ${r.revision})`);
  return reasons;
}
