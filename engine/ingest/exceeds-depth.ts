/**
 * Deepest nesting of objects and arrays a record may have. Real exports nest a few levels
 * (Salesforce `Account.Owner.Name`); a hostile record nested 100,000 deep would overflow the stack
 * of every recursive walk after it (`JSON.stringify`, hashing, PostgreSQL's jsonb parser), so it is
 * quarantined first, by a walk that is itself iterative.
 */
export const MAX_RECORD_DEPTH = 64;

/** Whether `value` nests objects or arrays more than `limit` levels deep (the value itself is level 1). */
export function exceedsDepth(value: unknown, limit: number = MAX_RECORD_DEPTH): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Object.values(value).every((child) => typeof child !== 'object' || child === null)) return false; // flat: a CSV row
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}
