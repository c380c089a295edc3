import type { Context } from './context';
import { at } from './lists';
import { toSecond } from './time';

/** Weights of `Rng.choose`, keyed by the value drawn. */
export type Weights = Readonly<Record<string, number>>;

/** Seeded PRNG (mulberry32) with the few draws the generator needs. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream per section, so that changing one section does not reshuffle the others. */
  static for(ctx: Context, label: string): Rng {
    let hash = 2166136261;
    for (const ch of label) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619);
    return new Rng((hash ^ Math.imul(ctx.seed | 0, 0x9e3779b1)) >>> 0);
  }

  /** Uniform in [0, 1), like `Math.random()`. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with the given probability. */
  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** One item, each equally likely. */
  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }

  /** One value of `options`, drawn with its weight; for repeated draws over many items see {@link makePicker}. */
  weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of options) {
      r -= weight;
      if (r < 0) return value;
    }
    return at(options, options.length - 1)[0];
  }

  /** A key of `weights`, drawn with the key's weight: `rng.choose({ Hot: 15, Warm: 35 })`. */
  choose<K extends string>(weights: Readonly<Record<K, number>>): K {
    return this.weighted(Object.entries(weights) as [K, number][]);
  }

  /** k distinct items (partial Fisher–Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = items.slice();
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [at(copy, j), at(copy, i)];
    }
    return copy.slice(0, n);
  }

  /** Timestamp (whole seconds) uniformly in [from, to). */
  time(from: number, to: number): number {
    return toSecond(from + this.next() * Math.max(0, to - from));
  }
}

/** Picks items with fixed weights many times (cumulative sums and binary search). */
export function makePicker<T>(rng: Rng, items: readonly T[], weight: (item: T) => number): () => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += weight(item);
    cumulative.push(total);
  }
  return () => {
    const r = rng.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at(cumulative, mid) > r) hi = mid;
      else lo = mid + 1;
    }
    return at(items, lo);
  };
}

/** `zipWeights([1, 2], [8, 27])` → `[[1, 8], [2, 27]]`, the options {@link Rng.weighted} takes. */
export function zipWeights<T>(values: readonly T[], weights: readonly number[]): (readonly [T, number])[] {
  return values.map((value, i) => [value, at(weights, i)] as const);
}

/** An integer whose logarithm is uniform in [log min, log max]: company sizes and deal amounts span decades. */
export function logUniform(rng: Rng, min: number, max: number): number {
  return Math.round(Math.exp(rng.between(Math.log(min), Math.log(max))));
}
