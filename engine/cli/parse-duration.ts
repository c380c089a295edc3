import { UsageError } from './usage-error';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h`, or a plain number of seconds, in milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`"${value}" is not a duration; write e.g. 30s, 5m or 500ms`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}

/** A whole number of at least `min` for a count option (`--limit`, `--port`...); anything else is a usage error. */
export function parseCount(flag: string, min = 0): (value: string) => number {
  return (value: string) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min)
      throw new UsageError(`${flag} "${value}" must be a whole number of at least ${min}`);
    return Number(value);
  };
}
