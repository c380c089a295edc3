import type { Condition, CountFilter, RelationCondition } from '../../../schemas/generated/resource-types';
import { seededRandom } from '../identity/seeded-random';
import { type Dataset, DURATIONS, utcDay, VOCABULARY } from './random-dataset';
import { ATTRIBUTES, type AttributeSpec, type AttributeType, type Entity } from './reference-evaluator';

/** A generated segment: its subject and condition tree. */
export interface RandomTree {
  subject: 'person' | 'account';
  where: Condition;
}

/** Operators per attribute type, as the Segment schema documents them. */
export const OPERATORS: Readonly<Record<AttributeType, readonly string[]>> = {
  string: ['eq', 'neq', 'in', 'notIn', 'contains', 'startsWith', 'endsWith', 'matches', 'exists', 'notExists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'in', 'notIn', 'exists', 'notExists'],
  boolean: ['eq', 'neq', 'exists', 'notExists'],
  date: ['eq', 'before', 'after', 'between', 'within', 'olderThan', 'exists', 'notExists'],
  datetime: ['eq', 'before', 'after', 'between', 'within', 'olderThan', 'exists', 'notExists'],
};

/** The deepest nesting of combinators, relations and events the generator produces. */
export const MAX_DEPTH = 3;

const COUNTS: readonly CountFilter[] = [
  { eq: 0 },
  { eq: 1 },
  { eq: 2 },
  { gte: 1 },
  { gte: 2 },
  { gte: 3 },
  { lte: 0 },
  { lte: 1 },
  { lte: 2 },
  { gte: 1, lte: 2 },
  { eq: 0, gte: 1 },
  { gte: 0 },
];

/** Values each attribute holds in the data set, so comparisons hit rows (and sit on their boundaries). */
type ValuePools = Record<Entity, Record<string, (string | number | boolean)[]>>;

function valuePools(data: Dataset): ValuePools {
  const collect = (rows: readonly object[]) => {
    const values = new Map<string, Set<string | number | boolean>>();
    for (const row of rows)
      for (const [name, value] of Object.entries(row)) {
        if (value === null || value === undefined) continue;
        if (!values.has(name)) values.set(name, new Set());
        values.get(name)!.add(value as string | number | boolean);
      }
    return Object.fromEntries([...values].map(([name, set]) => [name, [...set]]));
  };
  return {
    person: collect(data.persons),
    account: collect(data.accounts),
    opportunity: collect(data.opportunities),
    campaign: collect(data.campaigns),
    marketingList: collect([...data.lists, ...data.listMembers.map((m) => ({ addedAt: m.addedAt }))]),
    event: collect(data.events),
  };
}

/** `count` random trees over the data set's attributes and relations, the same for the same seed. */
export function randomTrees(seed: number, data: Dataset, now: Date, count: number): RandomTree[] {
  const generator = new TreeGenerator(seededRandom(seed), valuePools(data), now);
  return Array.from({ length: count }, () => generator.tree());
}

class TreeGenerator {
  constructor(
    private readonly random: () => number,
    private readonly pools: ValuePools,
    private readonly now: Date,
  ) {}

  tree(): RandomTree {
    const subject = this.random() < 0.7 ? 'person' : 'account';
    return { subject, where: this.node(subject, this.int(0, MAX_DEPTH)) };
  }

  private node(entity: Entity, depth: number): Condition {
    const relational = entity === 'person' || entity === 'account' || entity === 'opportunity';
    if (depth === 0) return this.comparison(entity);
    const r = this.random();
    if (r < 0.25) return this.comparison(entity);
    if (r < 0.5) {
      const children = Array.from({ length: this.int(2, 3) }, () => this.node(entity, depth - 1));
      return this.random() < 0.5 ? { all: children } : { any: children };
    }
    if (r < 0.65 || !relational) return { not: this.node(entity, depth - 1) };
    return this.relation(entity, depth - 1);
  }

  /** A relation or events node from `entity`; its `where` (if any) is at most `depth` deep. */
  private relation(entity: Entity, depth: number): Condition {
    const where = (to: Entity) => (this.random() < 0.6 ? { where: this.node(to, depth) } : {});
    const count = () => (this.random() < 0.35 ? { count: this.pick(COUNTS) } : {});
    const filters = (names: ('role' | 'primary' | 'active' | 'status')[]): RelationCondition => {
      const out: RelationCondition = {};
      if (names.includes('role') && this.random() < 0.3)
        out.role = this.some(VOCABULARY.roles).map((r) => this.caseFlip(r));
      if (names.includes('primary') && this.random() < 0.25) out.primary = this.random() < 0.5;
      if (names.includes('active') && this.random() < 0.4) out.active = this.random() < 0.5;
      if (names.includes('status') && this.random() < 0.4)
        out.status = this.some(VOCABULARY.memberStatuses).map((s) => this.caseFlip(s));
      return out;
    };
    const toAccount = (): Condition => ({ account: this.node('account', depth) });
    const options: (() => Condition)[] =
      entity === 'person'
        ? [
            toAccount,
            () => ({ opportunities: { ...filters(['role', 'primary']), ...where('opportunity'), ...count() } }),
            () => ({
              accountRelations: { ...filters(['role', 'primary', 'active']), ...where('account'), ...count() },
            }),
            () => ({ campaigns: { ...filters(['status']), ...where('campaign'), ...count() } }),
            () => ({ lists: { ...where('marketingList'), ...count() } }),
            () => this.events(depth),
            () => this.events(depth),
          ]
        : entity === 'account'
          ? [
              () => ({ parent: this.node('account', depth) }),
              () => ({ opportunities: { ...where('opportunity'), ...count() } }),
              () => ({ persons: { ...filters(['role', 'primary', 'active']), ...where('person'), ...count() } }),
            ]
          : [toAccount];
    return this.pick(options)();
  }

  private events(depth: number): Condition {
    const types = [...VOCABULARY.eventTypes, 'webinar.attended'];
    return {
      events: {
        type: this.random() < 0.5 ? this.pick(types) : this.some(types),
        ...(this.random() < 0.6 ? { within: this.pick(Object.keys(DURATIONS)) } : {}),
        ...(this.random() < 0.4 ? { where: this.node('event', depth) } : {}),
        ...(this.random() < 0.4 ? { count: this.pick(COUNTS) } : {}),
      },
    };
  }

  private comparison(entity: Entity): Condition {
    const dotted = entity === 'person' || entity === 'opportunity' ? 'account' : entity === 'account' ? 'parent' : '';
    const viaDotted = dotted !== '' && this.random() < 0.2;
    const on = viaDotted ? 'account' : entity;
    const name = this.pick(Object.keys(ATTRIBUTES[on]));
    const spec = ATTRIBUTES[on][name]!;
    const op = this.pick(OPERATORS[spec.type]);
    const attribute = viaDotted ? `${dotted}.${name}` : name;
    const value = this.value(spec, op, this.pools[on][name] ?? []);
    return value === undefined
      ? { attribute, op: op as Condition['op'] }
      : { attribute, op: op as Condition['op'], value };
  }

  private value(spec: AttributeSpec, op: string, pool: (string | number | boolean)[]): Condition['value'] {
    if (op === 'exists' || op === 'notExists') return undefined;
    if (op === 'within' || op === 'olderThan') return this.pick(Object.keys(DURATIONS));
    const one = () => this.scalar(spec, op, pool);
    if (op === 'in' || op === 'notIn') return Array.from({ length: this.int(1, 3) }, one) as string[] | number[];
    if (op === 'between') {
      const pair = [one(), one()];
      const order = (v: string | number | boolean) => (typeof v === 'number' ? v : Date.parse(String(v)));
      return pair.sort((a, b) => order(a) - order(b)) as string[] | number[];
    }
    return one();
  }

  private scalar(spec: AttributeSpec, op: string, pool: (string | number | boolean)[]): string | number | boolean {
    const existing = pool.length > 0 && this.random() < 0.85 ? this.pick(pool) : undefined;
    switch (spec.type) {
      case 'boolean':
        return this.random() < 0.5;
      case 'number':
        return typeof existing === 'number' ? existing : this.int(-5, 2000000);
      case 'date':
        return typeof existing === 'string' ? existing : utcDay(this.now.getTime() + this.int(-70, 70) * 86_400_000);
      case 'datetime':
        return this.datetime(
          typeof existing === 'number' ? existing : this.now.getTime() - this.int(-5, 90) * 86_400_000,
        );
      case 'string':
        return this.text(op, typeof existing === 'string' ? existing : this.pick(['zzz', 'Sales', '%', '_', 'a']));
    }
  }

  /** An instant as a value: itself, a second either side, its UTC day, or with a UTC offset. */
  private datetime(ms: number): string {
    const r = this.random();
    if (r < 0.5) return new Date(ms).toISOString();
    if (r < 0.7) return new Date(ms + this.pick([-1000, 1000])).toISOString();
    if (r < 0.85) return utcDay(ms);
    const shifted = new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19);
    return `${shifted}+02:00`;
  }

  /** A string value for `op`, drawn from an existing value: whole, a part of it, or a pattern. */
  private text(op: string, existing: string): string {
    const start = this.int(0, Math.max(0, existing.length - 1));
    const part = existing.slice(start, start + this.int(1, 6)) || existing;
    switch (op) {
      case 'contains':
        return this.caseFlip(part);
      case 'startsWith':
        return this.caseFlip(existing.slice(0, this.int(1, existing.length)));
      case 'endsWith':
        return this.caseFlip(existing.slice(this.int(0, existing.length - 1)));
      case 'matches':
        return this.pick([
          `^${escapeRegex(existing.slice(0, this.int(1, existing.length)))}`,
          `${escapeRegex(existing.slice(this.int(0, existing.length - 1)))}$`,
          escapeRegex(this.caseFlip(part)),
          '[0-9]',
          '^[A-Z]',
          's.l',
        ]);
      default:
        return this.caseFlip(existing);
    }
  }

  private caseFlip(text: string): string {
    const r = this.random();
    return r < 0.15 ? text.toUpperCase() : r < 0.3 ? text.toLowerCase() : text;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** 1 to 3 distinct items. */
  private some<T>(items: readonly T[]): T[] {
    return [...new Set(Array.from({ length: this.int(1, 3) }, () => this.pick(items)))];
  }

  private int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Depth of a tree: the deepest chain of combinators, relations and events above a comparison. */
export function treeDepth(c: Condition): number {
  const children: Condition[] = [
    ...(c.all ?? []),
    ...(c.any ?? []),
    ...(c.not ? [c.not] : []),
    ...(c.account ? [c.account] : []),
    ...(c.parent ? [c.parent] : []),
  ];
  for (const r of [c.opportunities, c.accountRelations, c.persons, c.campaigns, c.lists, c.events])
    if (r) children.push(r.where ?? {});
  if (children.length === 0) return 0;
  return 1 + Math.max(...children.map((child) => (Object.keys(child).length === 0 ? 0 : treeDepth(child))));
}
