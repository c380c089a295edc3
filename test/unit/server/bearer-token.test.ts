import { describe, expect, it } from 'vitest';
import { bearerMatches } from '../../../engine/server/bearer-token';

const TOKEN = 's3cr3t-token_with.chars~+/=';

describe('bearerMatches', () => {
  it('takes the scheme in any case, one or more spaces before the token, and whitespace around the value', () => {
    for (const header of [
      `Bearer ${TOKEN}`,
      `bearer ${TOKEN}`,
      `BEARER ${TOKEN}`,
      `bEaReR ${TOKEN}`,
      `Bearer    ${TOKEN}`,
      `  Bearer ${TOKEN}`,
      `Bearer ${TOKEN}  `,
      `\tBearer ${TOKEN}\t`,
    ])
      expect(bearerMatches(header, TOKEN), JSON.stringify(header)).toBe(true);
  });

  it('refuses a missing header or token, another token, another scheme, or no space after the scheme', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer    ',
      TOKEN,
      `Bearer${TOKEN}`,
      `Bearer\t${TOKEN}`,
      `Basic ${TOKEN}`,
      `Bearers ${TOKEN}`,
      `Bearer ${TOKEN}x`,
      `Bearer x${TOKEN}`,
      `Bearer ${TOKEN.toUpperCase()}`,
      `Bearer ${TOKEN} ${TOKEN}`,
    ])
      expect(bearerMatches(header, TOKEN), JSON.stringify(header)).toBe(false);
  });

  it('answers quickly for a long run of spaces (the pattern does not backtrack quadratically)', () => {
    const started = performance.now();
    expect(bearerMatches(`Bearer ${' '.repeat(60_000)}x${' '.repeat(60_000)}y`, TOKEN)).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
