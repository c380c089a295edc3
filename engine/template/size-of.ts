import { internals } from './nunjucks-internals';

/**
 * An upper bound on the characters `value` turns into as text, counting at most `budget` before
 * stopping (so measuring a huge value costs no more than the limit it is measured against).
 */
export function sizeOf(value: unknown, budget: number): number {
  let size = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && size <= budget) {
    const item = pending.pop();
    if (typeof item === 'string') size += item.length + 2;
    else if (item instanceof internals.runtime.SafeString) size += item.val.length + 2;
    else if (Array.isArray(item)) {
      size += item.length + 2;
      for (let i = 0; i < item.length && i <= budget; i++) pending.push(item[i]);
    } else if (item !== null && typeof item === 'object') {
      size += 2;
      for (const key in item) if (Object.hasOwn(item, key)) pending.push(key, (item as Record<string, unknown>)[key]);
    } else size += 24;
  }
  return size;
}
