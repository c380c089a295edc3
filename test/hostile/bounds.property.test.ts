import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_DEPTH } from '../../engine/config/check-document-bounds';
import { MAX_DURATION_DAYS, MAX_REGEX_SIZE } from '../../engine/segment/check-comparison-value';
import { MAX_CONDITION_DEPTH } from '../../engine/segment/parse-condition';
import { recordHostile } from '../support/hostile-tally';
import { type CommandResult, LOCATED_PROBLEM, personSegment, useHostileSandbox } from './hostile-sandbox';

/**
 * Near every bound on what a segment may say, `roster validate` and `roster plan` agree: just under
 * it, validate accepts and plan (previewing the data impact on real rows) completes; just over it,
 * validate refuses with a located error and plan refuses the same way, without a stack trace.
 */
const sandbox = useHostileSandbox();
const RUNS = { numRuns: 12 };
const LEAF = { attribute: 'jobTitle', op: 'contains', value: 'VP' };

async function expectOutcome(where: unknown, accepted: boolean, code?: string): Promise<void> {
  const { validate, plan } = await sandbox.validateAndPlan(personSegment(where));
  if (accepted) {
    expect(validate, validate.output).toMatchObject({ code: 0 });
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toContain('Data impact on current data:');
  } else {
    expectRefused(validate, code);
    expectRefused(plan, code);
  }
}

function expectRefused(result: CommandResult, code: string | undefined): void {
  expect(result.code, result.output).toBe(1);
  const problem = LOCATED_PROBLEM.exec(result.output);
  expect(problem, result.output).not.toBeNull();
  if (code) expect(problem![1]).toBe(code);
  expect(result.output).not.toMatch(/\n\s+at |RangeError|Maximum call stack/);
}

describe('nesting near the depth bounds', () => {
  // `not` costs one document level, `all`/`any` two (a list, then its item); the condition itself
  // starts at level 3 (document, spec, where).
  const wrappers = fc.array(fc.constantFrom('not', 'all', 'any'), { minLength: 25, maxLength: 36 });
  const nest = (kinds: string[]) =>
    kinds.reduceRight<unknown>((inner, kind) => (kind === 'not' ? { not: inner } : { [kind]: [inner] }), LEAF);
  const documentDepth = (kinds: string[]) => 3 + kinds.reduce((n, k) => n + (k === 'not' ? 1 : 2), 0);

  it('accepts and plans up to 64 document levels and 32 condition levels, refuses one more', async () => {
    const boundary = [Array(31).fill('not'), Array(32).fill('not'), Array(30).fill('all'), Array(31).fill('any')];
    await fc.assert(
      fc.asyncProperty(wrappers, async (kinds) => {
        const accepted = documentDepth(kinds) <= MAX_DOCUMENT_DEPTH && kinds.length + 1 <= MAX_CONDITION_DEPTH;
        await expectOutcome(nest(kinds), accepted, 'CONFIG_TOO_DEEP');
      }),
      { ...RUNS, examples: boundary.map((kinds) => [kinds]) },
    );
    recordHostile({ suite: 'bounds near every limit (validate, then plan)', tried: RUNS.numRuns, held: RUNS.numRuns });
  });
});

describe('windows near 100 years', () => {
  const MINUTES = { m: 1, h: 60, d: 24 * 60, w: 7 * 24 * 60 } as const;
  const limit = MAX_DURATION_DAYS * 24 * 60;
  const duration = fc.constantFrom('h', 'd', 'w', 'm').chain((unit) => {
    const edge = Math.floor(limit / MINUTES[unit]);
    const [min, max] = unit === 'm' ? [999_990, 999_999] : [edge - 3, edge + 3];
    return fc.integer({ min, max }).map((n) => ({ text: `${n}${unit}`, minutes: n * MINUTES[unit] }));
  });
  const place = fc.constantFrom(
    (d: string) => ({ events: { type: 'web.visit', within: d } }),
    (d: string) => ({ attribute: 'createdAt', op: 'within', value: d }),
    (d: string) => ({ attribute: 'convertedAt', op: 'olderThan', value: d }),
  );

  it('accepts and plans windows up to 36500 days, refuses longer ones', async () => {
    await fc.assert(
      fc.asyncProperty(duration, place, async ({ text, minutes }, at) => {
        await expectOutcome(at(text), minutes <= limit, 'CONFIG_VALUE');
      }),
      RUNS,
    );
    recordHostile({ suite: 'bounds near every limit (validate, then plan)', tried: RUNS.numRuns, held: RUNS.numRuns });
  });
});

describe('counts near the bigint-safe bound', () => {
  const count = fc.oneof(
    fc.integer({ min: 999_999_997, max: 1_000_000_003 }),
    fc.integer({ min: -2, max: 2 }),
    fc.constantFrom(1e300, 2 ** 63, 2 ** 53 + 2),
  );
  const relation = fc.constantFrom(
    (c: object) => ({ events: { type: 'web.visit', count: c } }),
    (c: object) => ({ opportunities: { role: ['Decision Maker'], count: c } }),
  );

  it('accepts and plans counts from 0 to 1,000,000,000, refuses others', async () => {
    await fc.assert(
      fc.asyncProperty(count, fc.constantFrom('eq', 'gte', 'lte'), relation, async (n, key, at) => {
        await expectOutcome(at({ [key]: n }), n >= 0 && n <= 1_000_000_000, 'CONFIG_SCHEMA');
      }),
      RUNS,
    );
    recordHostile({ suite: 'bounds near every limit (validate, then plan)', tried: RUNS.numRuns, held: RUNS.numRuns });
  });
});

describe('comparison values of number and date attributes', () => {
  it('accepts and plans every finite number, refuses .inf and .nan', async () => {
    const op = fc.constantFrom('eq', 'gt', 'lte', 'between', 'in');
    await fc.assert(
      fc.asyncProperty(fc.double(), op, async (n, o) => {
        const value = o === 'between' ? [n, n] : o === 'in' ? [n] : n;
        const where = { opportunities: { where: { attribute: 'amount', op: o, value } } };
        await expectOutcome(where, Number.isFinite(n), 'CONFIG_SCHEMA');
      }),
      {
        ...RUNS,
        examples: [
          [Number.MAX_VALUE, 'gt'],
          [-Number.MIN_VALUE, 'eq'],
          [Number.POSITIVE_INFINITY, 'in'],
        ],
      },
    );
    recordHostile({ suite: 'bounds near every limit (validate, then plan)', tried: RUNS.numRuns, held: RUNS.numRuns });
  });

  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = fc.record({
    year: fc.oneof(fc.constantFrom(0, 1, 9999), fc.integer({ min: 1, max: 9999 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    time: fc.option(fc.record({ hour: fc.integer({ min: 0, max: 24 }), offset: fc.integer({ min: -15, max: 15 }) })),
  });

  it('accepts and plans real days in years 1 to 9999 with offsets up to 14 hours, refuses others', async () => {
    await fc.assert(
      fc.asyncProperty(date, fc.constantFrom('eq', 'before', 'after', 'between'), async (d, op) => {
        const day = `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
        const sign = (d.time?.offset ?? 0) < 0 ? '-' : '+';
        const text = d.time ? `${day}T${pad(d.time.hour)}:00:00${sign}${pad(Math.abs(d.time.offset))}:00` : day;
        const real = DateTime.fromObject({ year: d.year, month: d.month, day: d.day, hour: d.time?.hour ?? 0 }).isValid;
        // luxon (like PostgreSQL) reads 24:00 as the next midnight; Roster asks for hours 00 to 23.
        const accepted = real && d.year >= 1 && (d.time?.hour ?? 0) < 24 && Math.abs(d.time?.offset ?? 0) <= 14;
        const where = { attribute: 'convertedAt', op, value: op === 'between' ? [text, text] : text };
        await expectOutcome(where, accepted, 'CONFIG_VALUE');
      }),
      { ...RUNS, numRuns: 16 },
    );
    recordHostile({ suite: 'bounds near every limit (validate, then plan)', tried: 16, held: 16 });
  });
});

describe('regular expressions near the compiled-size bound', () => {
  // `(a{n}){k}` compiles to n x k copies of `a`; the seeded person's job title makes PostgreSQL compile it.
  const repeats = fc.integer({ min: 40, max: 255 }).chain((n) => {
    const edge = Math.floor(MAX_REGEX_SIZE / n);
    return fc.integer({ min: Math.max(1, edge - 2), max: Math.min(255, edge + 2) }).map((k) => ({ n, k }));
  });

  it('accepts and plans expressions up to 10,000 copies, refuses larger ones', async () => {
    await fc.assert(
      fc.asyncProperty(repeats, async ({ n, k }) => {
        const where = { attribute: 'jobTitle', op: 'matches', value: `(a{${n}}){${k}}` };
        await expectOutcome(where, n * k <= MAX_REGEX_SIZE, 'CONFIG_REGEX');
      }),
      { ...RUNS, examples: [[{ n: 255, k: 39 }], [{ n: 255, k: 40 }], [{ n: 255, k: 200 }]] },
    );
    recordHostile({ suite: 'bounds near every limit (validate, then plan)', tried: RUNS.numRuns, held: RUNS.numRuns });
  });
});
