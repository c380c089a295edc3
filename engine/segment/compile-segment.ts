import type { CountFilter } from '../../schemas/generated/resource-types';
import type { CatalogEntity } from '../catalog/attribute-catalog';
import { attributeSql, compileComparison } from './compile-comparison';
import { compileProvenance, provenanceSql } from './compile-provenance';
import type { ConditionNode, EventNode, RelationNode } from './condition-ast';
import { countLinkedPersons, type LinkedPersons } from './count-linked-persons';
import { eventConditionKey, type SharedEventCounts } from './shared-event-counts';
import { durationToInterval, SqlBuilder } from './sql-builder';

/** A segment compiled to one set-based statement: the ids of its subjects now. */
export interface CompiledSegment {
  subject: 'person' | 'account';
  /** `select <alias>.id as subject_id from ...`: the member set. */
  text: string;
  params: unknown[];
}

/** Tables of the profile-level model the compiler reads, per catalog entity. */
const TABLE: Partial<Record<CatalogEntity, string>> = {
  person: 'persons',
  account: 'accounts',
  opportunity: 'opportunities',
  campaign: 'campaigns',
  marketingList: 'marketing_lists',
  event: 'events',
};

/** How `compileSegment` narrows or speeds up the member set; neither changes who is a member. */
export interface CompileOptions {
  /** Streaming and `explain`: only these subjects are evaluated. */
  scope?: readonly number[];
  /**
   * Per-person event counts a cycle computed once for many segments (decision 74): the event
   * conditions it holds read their count from it instead of the events table. Must have been
   * computed at the same `now`.
   */
  sharedEvents?: SharedEventCounts;
}

/**
 * Compiles a checked condition tree into one SQL statement over the sandbox's profile tables. Every
 * value is a bind parameter; identifiers come only from the catalog and fixed table names. Relations
 * become correlated EXISTS / COUNT subqueries, which PostgreSQL plans as semi-joins from whichever
 * side is more selective. The evaluation time is a parameter, so windows are reproducible (preview, tests).
 */
export function compileSegment(
  schema: string,
  subject: 'person' | 'account',
  where: ConditionNode,
  now: Date,
  { scope, sharedEvents }: CompileOptions = {},
): CompiledSegment {
  if (sharedEvents && sharedEvents.now.getTime() !== now.getTime())
    throw new Error(`shared event counts of ${sharedEvents.now.toISOString()} used at ${now.toISOString()}`);
  const sql = new SqlBuilder();
  // The evaluation time becomes a parameter only if a window uses it (an unused one has no type).
  let nowParam: string | undefined;
  const nowRef = () => {
    nowParam ??= sql.param(now.toISOString(), 'timestamptz');
    return nowParam;
  };
  const alias = sql.alias(subject === 'person' ? 'p' : 'a');
  const compiler = new SegmentCompiler(schema, sql, nowRef);
  compiler.sharedEvents = sharedEvents;
  const predicate = compiler.node(where, subject, alias);
  // Streaming: the same predicate, restricted to the subjects an ingest touched.
  const restriction = scope === undefined ? '' : `${alias}.id = any(${sql.param([...scope], 'bigint[]')}) and `;
  const text = `select ${alias}.id as subject_id from ${schema}.${TABLE[subject]} ${alias} where ${restriction}${predicate}`;
  return { subject, text, params: sql.params };
}

/**
 * The statement that counts, in ONE scan of the events, the events of every given condition per
 * person: `select e.person_id, count(*) filter (where <condition 0>) as c0, ... group by person_id`,
 * read only where some condition can match (their types, within the widest window when all have
 * one). Each condition's filter is the one its segment's own statement applies (`events`), so a
 * count read from the result equals the count that statement takes.
 */
export function compileEventCounts(
  schema: string,
  conditions: readonly EventNode[],
  now: Date,
): { text: string; params: unknown[] } {
  const sql = new SqlBuilder();
  // As in `compileSegment`: a parameter only if a window uses it (an unused one has no type).
  let nowParam: string | undefined;
  const at = () => {
    nowParam ??= sql.param(now.toISOString(), 'timestamptz');
    return nowParam;
  };
  const compiler = new SegmentCompiler(schema, sql, at);
  const e = sql.alias('e');
  // Counts are 4-byte integers (a person's events in a window): a narrower row is a cheaper read
  // for every segment that scans the table.
  const counts = conditions.map(
    (node, i) => `(count(*) filter (where ${compiler.eventFilters(node, e).join(' and ')}))::int as c${i}`,
  );
  const types = [...new Set(conditions.flatMap((node) => node.types))].sort();
  const reach = [`${e}.person_id is not null`, `${e}.type = any(${sql.param(types, 'text[]')})`];
  const windows = conditions.map((node) => node.within);
  if (windows.every((w) => w !== undefined)) {
    const widest = [...new Set(windows)].map((w) => `${sql.param(durationToInterval(w), 'interval')}`);
    reach.push(`${e}.occurred_at between ${at()} - greatest(${widest.join(', ')}) and ${at()}`);
  }
  const text = `select ${e}.person_id, ${counts.join(', ')} from ${schema}.events ${e} where ${reach.join(' and ')} group by ${e}.person_id`;
  return { text, params: sql.params };
}

/** Segments compiled as the common table expressions of one statement (`planned_0`, `planned_1`...). */
export interface PlannedStatement {
  /** `planned_0 as (select ... as subject_id ...), planned_1 as (...)`, for a `with` clause. */
  ctes: string;
  /** Each segment's relation in `ctes`, by name. */
  relations: ReadonlyMap<string, string>;
  /** Holds the parameters of `ctes`; add the statement's own with `sql.param`. */
  sql: SqlBuilder;
}

/**
 * Compiles segments, in dependency order, into one statement's CTEs, each reading the planned
 * members of the earlier ones it references (`inSegment`) instead of their current membership: what
 * a segment of segments would contain once the segments it uses change (the data impact of plans).
 */
export function compilePlannedSegments(
  schema: string,
  segments: readonly { name: string; subject: 'person' | 'account'; where: ConditionNode }[],
  now: Date,
): PlannedStatement {
  const sql = new SqlBuilder();
  let nowParam: string | undefined;
  const nowRef = () => {
    nowParam ??= sql.param(now.toISOString(), 'timestamptz');
    return nowParam;
  };
  const relations = new Map<string, string>();
  const ctes: string[] = [];
  for (const [i, segment] of segments.entries()) {
    const alias = sql.alias(segment.subject === 'person' ? 'p' : 'a');
    const predicate = new SegmentCompiler(schema, sql, nowRef, relations).node(segment.where, segment.subject, alias);
    ctes.push(
      `planned_${i} as (select ${alias}.id as subject_id from ${schema}.${TABLE[segment.subject]} ${alias} where ${predicate})`,
    );
    relations.set(segment.name, `planned_${i}`);
  }
  return { ctes: ctes.join(',\n'), relations, sql };
}

/** How `explain` names a related row. */
const LABEL: Partial<Record<CatalogEntity, (alias: string) => string>> = {
  account: (a) => `coalesce(${a}.name, ${a}.domain, ${a}.id::text)`,
  person: (a) => `coalesce(${a}.email, ${a}.id::text)`,
  opportunity: (a) =>
    `coalesce(${a}.name, ${a}.id::text) || ' (' || coalesce(${a}.stage, '?') || ', ' || coalesce(${a}.amount::text, '?') || ')'`,
  campaign: (a) => `coalesce(${a}.name, ${a}.id::text)`,
  marketingList: (a) => `coalesce(${a}.name, ${a}.id::text)`,
};

/**
 * For `explain`: the rows that satisfy one relation or events node of the subject's own scope, for
 * one subject: `select label ... limit 10`. Undefined when the node's matching rows cannot be listed.
 */
export function compileEvidence(
  schema: string,
  subject: 'person' | 'account',
  node: ConditionNode,
  now: Date,
  subjectId: number,
): CompiledSegment | undefined {
  const sql = new SqlBuilder();
  if (node.kind === 'fromSource' || node.kind === 'hasIdentity') {
    const alias = sql.alias(subject === 'person' ? 'p' : 'a');
    return {
      subject,
      ...evidenceStatement(
        schema,
        { table: TABLE[subject]!, alias, subjectId },
        provenanceSql(schema, node, alias, sql),
        sql,
      ),
    };
  }
  if (node.kind !== 'relation' && node.kind !== 'events') return undefined;
  let nowParam: string | undefined;
  const compiler = new SegmentCompiler(schema, sql, () => {
    nowParam ??= sql.param(now.toISOString(), 'timestamptz');
    return nowParam;
  });
  const alias = sql.alias(subject === 'person' ? 'p' : 'a');
  compiler.evidenceFor = { pointer: node.pointer };
  compiler.node(node, subject, alias);
  const captured = compiler.evidenceFor.captured;
  if (!captured) return undefined;
  return { subject, ...evidenceStatement(schema, { table: TABLE[subject]!, alias, subjectId }, captured, sql) };
}

/** `select label` of up to 10 rows that satisfied a node, for one subject. */
function evidenceStatement(
  schema: string,
  subject: { table: string; alias: string; subjectId: number },
  rows: { from: string; filters: string[]; label: string },
  sql: SqlBuilder,
): { text: string; params: unknown[] } {
  const { table, alias, subjectId } = subject;
  const filters = [`${alias}.id = ${sql.param(subjectId, 'bigint')}`, ...rows.filters];
  const text = `select ${rows.label} as label from ${schema}.${table} ${alias}, ${rows.from}
    where ${filters.join(' and ')} limit 10`;
  return { text, params: sql.params };
}

class SegmentCompiler {
  /** Alias of the marketing-list member row while a `lists` relation is compiled. */
  private listMember: string | undefined;
  /** For `explain`: the relation or events node whose matching rows are wanted, and what was captured for it. */
  evidenceFor: { pointer: string; captured?: { from: string; filters: string[]; label: string } } | undefined;
  /** The relation/events nodes being compiled, innermost last (a nested relation must not hide its parent). */
  private readonly scopes: { pointer: string; label: string }[] = [];
  /** Event counts computed once for a cycle; conditions found there read them (`sharedCount`). */
  sharedEvents: SharedEventCounts | undefined;

  constructor(
    private readonly s: string,
    private readonly sql: SqlBuilder,
    private readonly now: () => string,
    /** Segments read from a relation of this statement (their planned members) instead of their membership. */
    private readonly planned: ReadonlyMap<string, string> = new Map(),
  ) {}

  node(node: ConditionNode, entity: CatalogEntity, alias: string): string {
    switch (node.kind) {
      case 'all':
        return `(${node.children.map((c) => this.node(c, entity, alias)).join(' and ')})`;
      case 'any':
        return `(${node.children.map((c) => this.node(c, entity, alias)).join(' or ')})`;
      case 'not':
        return `not ${this.node(node.child, entity, alias)}`;
      case 'compare': {
        // A list's `addedAt` is a fact of the membership, read from the member row.
        const on = entity === 'marketingList' && node.attribute.name === 'addedAt' ? (this.listMember ?? alias) : alias;
        return compileComparison(node, attributeSql(on, node.attribute), this.sql, this.now);
      }
      case 'segment': {
        const relation = this.planned.get(node.segment);
        if (relation !== undefined) {
          const inPlanned = `exists (select 1 from ${relation} m where m.subject_id = ${alias}.id)`;
          return node.negated ? `not ${inPlanned}` : inPlanned;
        }
        const exists = `exists (select 1 from ${this.s}.segment_memberships m where m.segment = ${this.sql.param(node.segment)} and m.subject_id = ${alias}.id)`;
        return node.negated ? `not ${exists}` : exists;
      }
      case 'events':
        return this.events(node, alias);
      case 'relation':
        return this.relation(node, alias);
      case 'fromSource':
      case 'hasIdentity':
        return compileProvenance(this.s, node, alias, this.sql);
    }
  }

  private events(node: EventNode, person: string): string {
    const shared = this.evidenceFor ? undefined : this.sharedEvents?.columns.get(eventConditionKey(node));
    if (shared) return this.sharedCount(shared, person, node.count);
    const e = this.sql.alias('e');
    const label = `${e}.type || ' at ' || to_char(${e}.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
    const filters = [`${e}.person_id = ${person}.id`, ...this.eventFilters(node, e)];
    return this.within({ pointer: node.pointer, label }, () =>
      this.counted(`${this.s}.events ${e}`, filters, node.count),
    );
  }

  /** What an event row `e` must satisfy to count for `node` (its person aside). */
  eventFilters(node: EventNode, e: string): string[] {
    const filters = [`${e}.type = any(${this.sql.param(node.types, 'text[]')})`];
    if (node.within)
      filters.push(
        `${e}.occurred_at between ${this.now()} - ${this.sql.param(durationToInterval(node.within), 'interval')} and ${this.now()}`,
      );
    if (node.where) filters.push(this.node(node.where, 'event', e));
    return filters;
  }

  /**
   * An event condition read from the cycle's shared counts: a person without a row there had no
   * matching event (count 0). When the count filter fails at 0 ("at least N"), the members are the
   * persons with a row that passes (a semi-join); when it holds at 0 ("at most N", "none"), they
   * are the persons without a row that fails it (an anti-join). Both read the counts table once.
   */
  private sharedCount(
    shared: { table: string; column: string },
    person: string,
    count: CountFilter | undefined,
  ): string {
    const c = this.sql.alias('c');
    const n = `${c}.${shared.column}`;
    const bounds = count ?? { gte: 1 };
    const tests = [
      ...(bounds.eq !== undefined ? [`${n} = ${this.sql.param(bounds.eq, 'bigint')}`] : []),
      ...(bounds.gte !== undefined ? [`${n} >= ${this.sql.param(bounds.gte, 'bigint')}`] : []),
      ...(bounds.lte !== undefined ? [`${n} <= ${this.sql.param(bounds.lte, 'bigint')}`] : []),
    ];
    const passes = tests.length > 0 ? tests.join(' and ') : 'true';
    const from = `from ${shared.table} ${c} where ${c}.person_id = ${person}.id`;
    return holdsAtZero(bounds)
      ? `not exists (select 1 ${from} and not (${passes}))`
      : `exists (select 1 ${from} and ${passes})`;
  }

  /** Compiles the SQL of a relation/events node with it as the current scope (for `explain`'s evidence). */
  private within(scope: { pointer: string; label: string }, compile: () => string): string {
    this.scopes.push(scope);
    try {
      return compile();
    } finally {
      this.scopes.pop();
    }
  }

  private relation(node: RelationNode, from: string): string {
    const to = this.sql.alias(node.to === 'account' ? 'a' : node.to === 'person' ? 'p' : 'r');
    return this.within({ pointer: node.pointer, label: LABEL[node.to]?.(to) ?? `${to}.id::text` }, () =>
      this.relationSql(node, from, to),
    );
  }

  private relationSql(node: RelationNode, from: string, to: string): string {
    const where = (alias: string) => (node.where ? [this.node(node.where, node.to, alias)] : []);
    switch (`${node.from}.${node.relation}`) {
      case 'person.account':
      case 'opportunity.account':
        return this.counted(`${this.s}.accounts ${to}`, [`${to}.id = ${from}.account_id`, ...where(to)], undefined);
      case 'account.parent':
        return this.counted(
          `${this.s}.accounts ${to}`,
          [`${to}.id = ${from}.parent_account_id`, ...where(to)],
          undefined,
        );
      case 'person.opportunities': {
        const role = this.sql.alias('role');
        const filters = [`${role}.person_id = ${from}.id`, ...this.roleFilters(node, role), ...where(to)];
        return this.counted(
          `${this.s}.opportunity_roles ${role} join ${this.s}.opportunities ${to} on ${to}.id = ${role}.opportunity_id`,
          filters,
          node.count,
        );
      }
      case 'account.opportunities':
        return this.counted(
          `${this.s}.opportunities ${to}`,
          [`${to}.account_id = ${from}.id`, ...where(to)],
          node.count,
        );
      case 'person.accountRelations': {
        const rel = this.sql.alias('rel');
        const filters = [
          `${rel}.person_id = ${from}.id`,
          ...this.roleFilters(node, rel),
          ...this.activeFilter(node, rel),
          ...where(to),
        ];
        return this.counted(
          `${this.s}.account_person_relations ${rel} join ${this.s}.accounts ${to} on ${to}.id = ${rel}.account_id`,
          filters,
          node.count,
        );
      }
      case 'account.persons':
        return this.accountPersons(node, from, to, where);
      case 'person.campaigns': {
        const member = this.sql.alias('cm');
        const filters = [
          `${member}.person_id = ${from}.id`,
          ...(node.status
            ? [
                `lower(${member}.status) = any(${this.sql.param(
                  node.status.map((s) => s.toLowerCase()),
                  'text[]',
                )})`,
              ]
            : []),
          ...where(to),
        ];
        return this.counted(
          `${this.s}.campaign_members ${member} join ${this.s}.campaigns ${to} on ${to}.id = ${member}.campaign_id`,
          filters,
          node.count,
        );
      }
      case 'person.lists': {
        const member = this.sql.alias('lm');
        this.listMember = member;
        const filters = [`${member}.person_id = ${from}.id`, ...where(to)];
        this.listMember = undefined;
        return this.counted(
          `${this.s}.marketing_list_members ${member} join ${this.s}.marketing_lists ${to} on ${to}.id = ${member}.list_id`,
          filters,
          node.count,
        );
      }
      default:
        throw new Error(`relation ${node.from}.${node.relation} reached the compiler unchecked`);
    }
  }

  /**
   * An account's persons, each once: the persons whose account it is, and those with a relation row
   * to it (decision 35). Filters test one link at a time; a person's own account is a link that is
   * primary and active with no role, so it is left out when a filter excludes such a link.
   */
  private accountPersons(
    node: RelationNode,
    account: string,
    person: string,
    where: (alias: string) => string[],
  ): string {
    const ownPasses = !node.role && node.primary !== false && node.active !== false;
    const relationFilters = (rel: string) => [
      `${rel}.account_id = ${account}.id`,
      ...this.roleFilters(node, rel),
      ...this.activeFilter(node, rel),
    ];
    // `explain` lists the persons as one row set, labelled through `person`.
    if (this.evidenceFor) return this.accountPersonsUnion(node, { account, person }, ownPasses, relationFilters);
    const sides: LinkedPersons[] = [];
    // Each side is its own subquery, so both can name the person `person`.
    if (ownPasses)
      sides.push({
        from: `${this.s}.persons ${person}`,
        filters: [`${person}.account_id = ${account}.id`, ...where(person)],
        personId: '*',
      });
    const rel = this.sql.alias('rel');
    sides.push({
      from: `${this.s}.account_person_relations ${rel} join ${this.s}.persons ${person} on ${person}.id = ${rel}.person_id`,
      // Persons whose own account it is were counted by the first side.
      filters: [
        ...relationFilters(rel),
        ...(ownPasses ? [`${person}.account_id is distinct from ${account}.id`] : []),
        ...where(person),
      ],
      personId: `${rel}.person_id`,
    });
    return countLinkedPersons(sides, node.count, this.sql);
  }

  /** For `explain`'s evidence: the same persons as one row set (a union of both links), to list them. */
  private accountPersonsUnion(
    node: RelationNode,
    { account, person }: { account: string; person: string },
    ownPasses: boolean,
    relationFilters: (rel: string) => string[],
  ): string {
    const rel = this.sql.alias('rel');
    const links = [
      `select ${rel}.person_id from ${this.s}.account_person_relations ${rel} where ${[
        ...relationFilters(rel),
        `${rel}.person_id is not null`,
      ].join(' and ')}`,
    ];
    if (ownPasses) {
      const own = this.sql.alias('own');
      links.unshift(`select ${own}.id from ${this.s}.persons ${own} where ${own}.account_id = ${account}.id`);
    }
    const link = this.sql.alias('link');
    const where = node.where ? [this.node(node.where, 'person', person)] : [];
    return this.counted(
      `lateral (${links.join(' union ')}) ${link}(person_id) join ${this.s}.persons ${person} on ${person}.id = ${link}.person_id`,
      where,
      node.count,
    );
  }

  private roleFilters(node: RelationNode, alias: string): string[] {
    const filters: string[] = [];
    if (node.role)
      filters.push(
        `lower(${alias}.role) = any(${this.sql.param(
          node.role.map((r) => r.toLowerCase()),
          'text[]',
        )})`,
      );
    if (node.primary !== undefined)
      filters.push(`coalesce(${alias}.is_primary, false) = ${this.sql.param(node.primary, 'boolean')}`);
    return filters;
  }

  /** Active: flagged active and today within its start and end dates. */
  private activeFilter(node: RelationNode, alias: string): string[] {
    if (node.active === undefined) return [];
    const active = `(coalesce(${alias}.is_active, true) and (${alias}.start_date is null or ${alias}.start_date <= ${this.now()}::date) and (${alias}.end_date is null or ${alias}.end_date >= ${this.now()}::date))`;
    return [node.active ? active : `not ${active}`];
  }

  /** EXISTS for "at least one" (the common case, cheapest), COUNT otherwise. */
  private counted(from: string, filters: string[], count: CountFilter | undefined): string {
    const scope = this.scopes[this.scopes.length - 1];
    if (this.evidenceFor && scope?.pointer === this.evidenceFor.pointer && !this.evidenceFor.captured) {
      this.evidenceFor.captured = { from, filters, label: scope.label };
      return 'true'; // only the rows are wanted: no count parameters that the evidence query would leave unused
    }
    const body = `from ${from}${filters.length > 0 ? ` where ${filters.join(' and ')}` : ''}`;
    if (count === undefined || (count.gte === 1 && count.lte === undefined && count.eq === undefined))
      return `exists (select 1 ${body})`;
    // "None" is NOT EXISTS only when no other bound contradicts it (`{ eq: 0, gte: 1 }` holds for nobody).
    if (count.eq === 0 && (count.gte ?? 0) === 0) return `not exists (select 1 ${body})`;
    const n = `(select count(*) ${body})`;
    const tests = [
      ...(count.eq !== undefined ? [`${n} = ${this.sql.param(count.eq, 'bigint')}`] : []),
      ...(count.gte !== undefined ? [`${n} >= ${this.sql.param(count.gte, 'bigint')}`] : []),
      ...(count.lte !== undefined ? [`${n} <= ${this.sql.param(count.lte, 'bigint')}`] : []),
    ];
    return `(${tests.join(' and ')})`;
  }
}

/** Whether a count filter admits a count of 0 (a person with no matching event). */
function holdsAtZero(count: CountFilter): boolean {
  return (
    (count.eq === undefined || count.eq === 0) &&
    (count.gte === undefined || count.gte <= 0) &&
    (count.lte === undefined || count.lte >= 0)
  );
}
