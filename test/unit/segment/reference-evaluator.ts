import type { Condition, CountFilter, RelationCondition } from '../../../schemas/generated/resource-types';
import type { Dataset, EventRow, ListMemberRow, PersonRow, RelationRow, RoleRow } from './random-dataset';

/**
 * An evaluator of segment condition trees over plain rows, written from the documented semantics
 * (schemas/v1/segment.schema.json and the brief), not from the compiler:
 * - two-valued logic: a comparison on a missing value (null, or an empty string) is false, `not` of it true;
 * - eq/neq/in/notIn/matches ignore case for case-insensitive attributes (email, domain);
 *   contains/startsWith/endsWith always ignore case; everything else is case-sensitive;
 * - `between` includes both bounds; `within d` is [now - d, now]; `olderThan d` is before now - d;
 * - a date is the instant its UTC day starts; a date-time value without a time is UTC midnight;
 * - a relation holds when the number of related rows passing its filters and `where` satisfies
 *   `count` (at least one without it); `primary` treats a missing flag as false; an account-person
 *   relation is active when its flag is not false and today (UTC) is within its start/end days;
 * - an account's `persons` are the persons whose account it is and the persons with a relation row
 *   to it, each once; filters test one link at a time, a person's own account being a primary,
 *   active link with no role (the schema's `persons` description).
 */
export type Entity = 'person' | 'account' | 'opportunity' | 'campaign' | 'marketingList' | 'event';
export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'datetime';

export interface AttributeSpec {
  type: AttributeType;
  caseInsensitive?: boolean;
}

/** The attributes the random trees read, with their documented types. */
export const ATTRIBUTES: Readonly<Record<Entity, Readonly<Record<string, AttributeSpec>>>> = {
  person: {
    email: { type: 'string', caseInsensitive: true },
    firstName: { type: 'string' },
    jobTitle: { type: 'string' },
    country: { type: 'string' },
    leadStatus: { type: 'string' },
    emailOptOut: { type: 'boolean' },
    createdAt: { type: 'datetime' },
    score: { type: 'number' },
    lastContactDate: { type: 'date' },
  },
  account: {
    name: { type: 'string' },
    domain: { type: 'string', caseInsensitive: true },
    industry: { type: 'string' },
    annualRevenue: { type: 'number' },
    numberOfEmployees: { type: 'number' },
    createdAt: { type: 'datetime' },
  },
  opportunity: {
    name: { type: 'string' },
    stage: { type: 'string' },
    amount: { type: 'number' },
    isClosed: { type: 'boolean' },
    isWon: { type: 'boolean' },
    closeDate: { type: 'date' },
  },
  campaign: { name: { type: 'string' }, type: { type: 'string' }, status: { type: 'string' } },
  marketingList: { name: { type: 'string' }, addedAt: { type: 'datetime' } },
  event: {
    type: { type: 'string' },
    occurredAt: { type: 'datetime' },
    url: { type: 'string' },
    campaign: { type: 'string' },
  },
};

type Value = string | number | boolean | null | undefined;
type Item = Record<string, Value>;
type Scalar = string | number | boolean;

/** `30d` -> milliseconds. */
export function durationMs(duration: string): number {
  const match = /^(\d+)([mhdw])$/.exec(duration);
  if (!match) throw new Error(`not a duration: ${duration}`);
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[match[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(match[1]) * unit;
}

const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

class Indexed<T> {
  private readonly groups = new Map<string, T[]>();
  constructor(rows: readonly T[], by: (row: T) => string | null) {
    for (const row of rows) {
      const key = by(row);
      if (key === null) continue;
      const list = this.groups.get(key);
      if (list) list.push(row);
      else this.groups.set(key, [row]);
    }
  }
  get(key: string): readonly T[] {
    return this.groups.get(key) ?? [];
  }
}

export class ReferenceEvaluator {
  private readonly byKey: Record<'person' | 'account' | 'opportunity' | 'campaign' | 'list', Map<string, Item>>;
  private readonly rolesByPerson: Indexed<RoleRow>;
  private readonly opportunitiesByAccount: Indexed<Item>;
  private readonly relationsByPerson: Indexed<RelationRow>;
  private readonly relationsByAccount: Indexed<RelationRow>;
  private readonly personsByAccount: Indexed<PersonRow>;
  private readonly campaignMembersByPerson: Indexed<Dataset['campaignMembers'][number]>;
  private readonly listMembersByPerson: Indexed<ListMemberRow>;
  private readonly eventsByPerson: Indexed<EventRow>;
  private readonly today: number;

  constructor(
    private readonly data: Dataset,
    private readonly now: Date,
  ) {
    const map = (rows: readonly { key: string }[]) => new Map(rows.map((r) => [r.key, r as unknown as Item]));
    this.byKey = {
      person: map(data.persons),
      account: map(data.accounts),
      opportunity: map(data.opportunities),
      campaign: map(data.campaigns),
      list: map(data.lists),
    };
    this.rolesByPerson = new Indexed(data.roles, (r) => r.person);
    this.opportunitiesByAccount = new Indexed(data.opportunities as unknown as Item[], (o) => o.account as string);
    this.relationsByPerson = new Indexed(data.relations, (r) => r.person);
    this.relationsByAccount = new Indexed(data.relations, (r) => r.account);
    this.personsByAccount = new Indexed(data.persons, (p) => p.account);
    this.campaignMembersByPerson = new Indexed(data.campaignMembers, (m) => m.person);
    this.listMembersByPerson = new Indexed(data.listMembers, (m) => m.person);
    this.eventsByPerson = new Indexed(data.events, (e) => e.person);
    this.today = dayStart(now.toISOString().slice(0, 10));
  }

  /** Keys of the subjects (persons or accounts) the condition selects, sorted. */
  members(subject: 'person' | 'account', where: Condition): string[] {
    const rows = subject === 'person' ? this.data.persons : this.data.accounts;
    return rows
      .filter((row) => this.holds(where, subject, row as unknown as Item))
      .map((row) => row.key)
      .sort();
  }

  holds(c: Condition, entity: Entity, item: Item): boolean {
    if (c.all) return c.all.every((child) => this.holds(child, entity, item));
    if (c.any) return c.any.some((child) => this.holds(child, entity, item));
    if (c.not) return !this.holds(c.not, entity, item);
    if (c.attribute !== undefined) return this.attribute(c, entity, item);
    if (c.account) return this.toOne('account', entity, item, c.account);
    if (c.parent) return this.toOne('parent', entity, item, c.parent);
    if (c.opportunities) return this.opportunities(c.opportunities, entity, item);
    if (c.accountRelations) return this.accountRelations(c.accountRelations, item);
    if (c.persons) return this.accountPersons(c.persons, item);
    if (c.campaigns) return this.campaigns(c.campaigns, item);
    if (c.lists) return this.lists(c.lists, item);
    if (c.events) return this.events(c.events, item);
    throw new Error(`the reference evaluator does not know ${JSON.stringify(c)}`);
  }

  private attribute(c: Condition, entity: Entity, item: Item): boolean {
    const [first, second] = c.attribute!.split('.');
    if (second !== undefined)
      return this.toOne(first as 'account' | 'parent', entity, item, { ...c, attribute: second });
    const spec = ATTRIBUTES[entity][first!];
    if (!spec) throw new Error(`${entity}.${first} is not in the reference catalog`);
    return this.compare(spec, c.op!, item[first!], c.value);
  }

  private toOne(via: 'account' | 'parent', entity: Entity, item: Item, where: Condition): boolean {
    const key = (via === 'parent' ? item.parent : item.account) as string | null;
    const related = key === null ? undefined : this.byKey.account.get(key);
    if (entity === 'account' && via !== 'parent') throw new Error('account.account is not a relation');
    return related !== undefined && this.holds(where, 'account', related);
  }

  compare(spec: AttributeSpec, op: string, actual: Value, value: Condition['value']): boolean {
    const present = actual !== null && actual !== undefined && actual !== '';
    if (op === 'exists') return present;
    if (op === 'notExists') return !present;
    if (!present) return false;
    const values = (Array.isArray(value) ? value : [value]) as Scalar[];
    switch (spec.type) {
      case 'string':
        return compareString(op, String(actual), values, spec.caseInsensitive === true);
      case 'number':
        return compareOrdered(op, Number(actual), values.map(Number));
      case 'boolean':
        return op === 'eq' ? actual === value : actual !== value;
      case 'date':
      case 'datetime': {
        const instant = spec.type === 'date' ? dayStart(String(actual)) : Number(actual);
        const now = this.now.getTime();
        if (op === 'within') return instant >= now - durationMs(String(value)) && instant <= now;
        if (op === 'olderThan') return instant < now - durationMs(String(value));
        const bound = (v: Scalar) => (spec.type === 'date' ? dayStart(String(v).slice(0, 10)) : Date.parse(String(v)));
        return compareOrdered(op, instant, values.map(bound));
      }
    }
  }

  private opportunities(r: RelationCondition, entity: Entity, item: Item): boolean {
    if (entity === 'account') {
      const rows = this.opportunitiesByAccount.get(item.key as string);
      return counted(rows.filter((o) => this.passes(r.where, 'opportunity', o)).length, r.count);
    }
    const rows = this.rolesByPerson
      .get(item.key as string)
      .filter((role) => this.roleAndPrimary(r, role))
      .map((role) => this.byKey.opportunity.get(role.opportunity))
      .filter((o): o is Item => o !== undefined && this.passes(r.where, 'opportunity', o));
    return counted(rows.length, r.count);
  }

  private accountRelations(r: RelationCondition, person: Item): boolean {
    const rows = this.relationsByPerson
      .get(person.key as string)
      .filter((rel) => this.roleAndPrimary(r, rel) && this.activeFilter(r, rel))
      .map((rel) => this.byKey.account.get(rel.account))
      .filter((a): a is Item => a !== undefined && this.passes(r.where, 'account', a));
    return counted(rows.length, r.count);
  }

  private accountPersons(r: RelationCondition, account: Item): boolean {
    const key = account.key as string;
    // A person's own account is a link that is primary and active and has no role.
    const ownLinkPasses = r.role === undefined && r.primary !== false && r.active !== false;
    const keys = new Set<string>(ownLinkPasses ? this.personsByAccount.get(key).map((p) => p.key) : []);
    for (const rel of this.relationsByAccount.get(key))
      if (this.roleAndPrimary(r, rel) && this.activeFilter(r, rel)) keys.add(rel.person);
    const persons = [...keys]
      .map((k) => this.byKey.person.get(k))
      .filter((p): p is Item => p !== undefined && this.passes(r.where, 'person', p));
    return counted(persons.length, r.count);
  }

  private campaigns(r: RelationCondition, person: Item): boolean {
    const statuses = r.status?.map((s) => s.toLowerCase());
    const rows = this.campaignMembersByPerson
      .get(person.key as string)
      .filter((m) => statuses === undefined || (m.status !== null && statuses.includes(m.status.toLowerCase())))
      .map((m) => this.byKey.campaign.get(m.campaign))
      .filter((c): c is Item => c !== undefined && this.passes(r.where, 'campaign', c));
    return counted(rows.length, r.count);
  }

  private lists(r: RelationCondition, person: Item): boolean {
    const rows = this.listMembersByPerson
      .get(person.key as string)
      .map((m): Item | undefined => {
        const list = this.byKey.list.get(m.list);
        return list && { ...list, addedAt: m.addedAt };
      })
      .filter((l): l is Item => l !== undefined && this.passes(r.where, 'marketingList', l));
    return counted(rows.length, r.count);
  }

  private events(e: NonNullable<Condition['events']>, person: Item): boolean {
    const types = typeof e.type === 'string' ? [e.type] : e.type;
    const now = this.now.getTime();
    const from = e.within === undefined ? Number.NEGATIVE_INFINITY : now - durationMs(e.within);
    const to = e.within === undefined ? Number.POSITIVE_INFINITY : now;
    const rows = this.eventsByPerson
      .get(person.key as string)
      .filter((ev) => types.includes(ev.type) && ev.occurredAt >= from && ev.occurredAt <= to)
      .filter((ev) => this.passes(e.where, 'event', ev as unknown as Item));
    return counted(rows.length, e.count);
  }

  private passes(where: Condition | undefined, entity: Entity, item: Item): boolean {
    return where === undefined || this.holds(where, entity, item);
  }

  private roleAndPrimary(r: RelationCondition, row: { role: string | null; isPrimary: boolean | null }): boolean {
    if (r.role && (row.role === null || !r.role.map((x) => x.toLowerCase()).includes(row.role.toLowerCase())))
      return false;
    return r.primary === undefined || (row.isPrimary ?? false) === r.primary;
  }

  private activeFilter(r: RelationCondition, rel: RelationRow): boolean {
    if (r.active === undefined) return true;
    const active =
      rel.isActive !== false &&
      (rel.startDate === null || dayStart(rel.startDate) <= this.today) &&
      (rel.endDate === null || dayStart(rel.endDate) >= this.today);
    return active === r.active;
  }
}

function compareString(op: string, actual: string, values: Scalar[], caseInsensitive: boolean): boolean {
  const fold = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  const texts = values.map(String);
  const value = texts[0]!;
  switch (op) {
    case 'eq':
      return fold(actual) === fold(value);
    case 'neq':
      return fold(actual) !== fold(value);
    case 'in':
      return texts.some((v) => fold(v) === fold(actual));
    case 'notIn':
      return !texts.some((v) => fold(v) === fold(actual));
    case 'contains':
      return actual.toLowerCase().includes(value.toLowerCase());
    case 'startsWith':
      return actual.toLowerCase().startsWith(value.toLowerCase());
    case 'endsWith':
      return actual.toLowerCase().endsWith(value.toLowerCase());
    case 'matches':
      return new RegExp(value, caseInsensitive ? 'i' : '').test(actual);
    default:
      throw new Error(`string operator ${op}`);
  }
}

function compareOrdered(op: string, actual: number, values: number[]): boolean {
  const value = values[0]!;
  switch (op) {
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
    case 'in':
      return values.includes(actual);
    case 'notIn':
      return !values.includes(actual);
    case 'gt':
    case 'after':
      return actual > value;
    case 'gte':
      return actual >= value;
    case 'lt':
    case 'before':
      return actual < value;
    case 'lte':
      return actual <= value;
    case 'between':
      return actual >= value && actual <= values[1]!;
    default:
      throw new Error(`ordered operator ${op}`);
  }
}

function counted(n: number, count: CountFilter | undefined): boolean {
  if (count === undefined) return n >= 1;
  return (
    (count.eq === undefined || n === count.eq) &&
    (count.gte === undefined || n >= count.gte) &&
    (count.lte === undefined || n <= count.lte)
  );
}
