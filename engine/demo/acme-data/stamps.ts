import type { Rng } from './random';
import { HOUR, MINUTE, toSecond } from './time';

/** Created, last modified and system-modified times, all before `now`. */
export interface Stamps {
  created: number;
  modified: number;
  modstamp: number;
}

/** Stamps of a record created around `created` (clamped before `now`) and edited since. */
export function makeStamps(rng: Rng, created: number, now: number): Stamps {
  const createdAt = toSecond(Math.min(created, now - 2 * HOUR));
  const modified = rng.time(createdAt, now - HOUR);
  // System processes (sharing recalculation, roll-ups) touch SystemModstamp without LastModifiedDate.
  const modstamp = rng.chance(0.2) ? Math.min(modified + rng.int(1, 72) * HOUR, now - MINUTE) : modified;
  return { created: createdAt, modified, modstamp: Math.max(modified, toSecond(modstamp)) };
}
