import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAX_DOCUMENT_CHARACTERS, MAX_DOCUMENT_NODES } from '../../engine/config/check-document-bounds';
import { recordHostile } from '../support/hostile-tally';
import { LOCATED_PROBLEM, useHostileSandbox } from './hostile-sandbox';

/**
 * Near the bounds on a document's expanded size (values, characters as JSON) and on its aliases,
 * `roster validate` and `roster plan` agree: just under, validate accepts and plan (with data impact)
 * completes; just over, both refuse with a located error. The documents are one `in` list under an
 * anchor, used again by aliases: how a 1.7 MB file once expanded to 24 million values.
 */
const sandbox = useHostileSandbox();

/** A person segment: `any` of the anchored list's condition and `aliases` conditions reusing it. */
function lookalikes(items: readonly string[], aliases: number, condition: (value: string) => string): string {
  return [
    'apiVersion: roster/v1',
    'kind: Segment',
    'metadata: { name: s }',
    'spec:',
    '  subject: person',
    '  where:',
    '    any:',
    `      - ${condition(`&l [${items.join(', ')}]`)}`,
    ...Array.from({ length: aliases }, () => `      - ${condition('*l')}`),
    '',
  ].join('\n');
}

const emails = (value: string) => `{ attribute: email, op: in, value: ${value} }`;

/** Values and JSON characters of the document with every alias expanded, counted independently of Roster. */
function expandedSize(text: string): { nodes: number; characters: number } {
  const value: unknown = parse(text, { maxAliasCount: -1 });
  const count = (node: unknown): number =>
    node !== null && typeof node === 'object' ? 1 + Object.values(node).reduce<number>((n, c) => n + count(c), 0) : 1;
  return { nodes: count(value), characters: JSON.stringify(value).length };
}

/**
 * The number of list items that puts the document's size at the bound, from two measured sizes:
 * each item adds the same amount (once in the list, once per alias).
 */
function itemsAtBound(measure: (items: number) => number, bound: number): number {
  const base = measure(1);
  const perItem = measure(2) - base;
  return 1 + Math.floor((bound - base) / perItem);
}

async function expectOutcome(text: string, accepted: boolean, code: string): Promise<void> {
  const { validate, plan } = await sandbox.validateAndPlan(text);
  if (accepted) {
    expect(validate.code, validate.output).toBe(0);
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toContain('Data impact on current data:');
    return;
  }
  for (const result of [validate, plan]) {
    expect(result.code, result.output).toBe(1);
    expect(LOCATED_PROBLEM.exec(result.output)?.[1], result.output).toBe(code);
    expect(result.output).not.toMatch(/\n\s+at |RangeError/);
  }
}

describe('expanded document size near its bounds', () => {
  it('accepts and plans up to 500,000 values, refuses one more', async () => {
    // At least 9 aliases: fewer would need a list of over 50,000 items, which only makes parsing slow.
    const shape = fc.record({ aliases: fc.integer({ min: 9, max: 200 }), step: fc.integer({ min: -1, max: 1 }) });
    await fc.assert(
      fc.asyncProperty(shape, async ({ aliases, step }) => {
        const text = (n: number) => lookalikes(Array(n).fill('a'), aliases, emails);
        const n = itemsAtBound((k) => expandedSize(text(k)).nodes, MAX_DOCUMENT_NODES) + step;
        const size = expandedSize(text(n));
        await expectOutcome(text(n), size.nodes <= MAX_DOCUMENT_NODES, 'CONFIG_DOCUMENT_TOO_LARGE');
      }),
      { numRuns: 3 },
    );
    recordHostile({ suite: 'document size, depth and aliases', tried: 3, held: 3 });
  });

  it('accepts and plans up to 4 MiB of JSON, refuses one more item', async () => {
    const shape = fc.record({
      aliases: fc.integer({ min: 2, max: 200 }),
      length: fc.integer({ min: 40, max: 4000 }),
      step: fc.integer({ min: -1, max: 1 }),
    });
    await fc.assert(
      fc.asyncProperty(shape, async ({ aliases, length, step }) => {
        const text = (n: number) =>
          lookalikes(
            Array.from({ length: n }, (_, i) => `p${String(i).padStart(length, '0')}@x.example`),
            aliases,
            emails,
          );
        const n = itemsAtBound((k) => expandedSize(text(k)).characters, MAX_DOCUMENT_CHARACTERS) + step;
        const size = expandedSize(text(n));
        await expectOutcome(text(n), size.characters <= MAX_DOCUMENT_CHARACTERS, 'CONFIG_DOCUMENT_TOO_LARGE');
      }),
      { numRuns: 4 },
    );
    recordHostile({ suite: 'document size, depth and aliases', tried: 4, held: 4 });
  });
});

describe('aliases near their bound', () => {
  it('accepts and plans up to 200 aliases of a list, refuses more', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 195, max: 205 }), async (aliases) => {
        await expectOutcome(lookalikes(['a', 'b'], aliases, emails), aliases <= 200, 'CONFIG_ALIAS_LIMIT');
      }),
      { numRuns: 6, examples: [[200], [201]] },
    );
    recordHostile({ suite: 'document size, depth and aliases', tried: 6, held: 6 });
  });
});
