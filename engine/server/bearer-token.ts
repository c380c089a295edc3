import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization` credentials of the Bearer scheme (RFC 6750): the scheme in any case (RFC 7235
 * makes it case-insensitive), one or more spaces, the token; whitespace around the whole value is
 * ignored, as HTTP's optional whitespace is.
 */
const BEARER = /^[ \t]*bearer +(.+)$/i;

/** Whether an `Authorization` header carries `Bearer <expected>` (compared by {@link tokenMatches}). */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  // Trailing whitespace is cut outside the pattern: a lazy match before `[ \t]*$` is quadratic.
  const given = BEARER.exec(header ?? '')?.[1]?.trimEnd();
  if (!given) return false;
  return tokenMatches(given, expected);
}

/**
 * Whether `given` is `expected`. Both sides are hashed first so the comparison takes the same time
 * whatever the given token's length or content (the console's login form uses it too).
 */
export function tokenMatches(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
