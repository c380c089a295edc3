import type { Condition, EventCondition, RelationCondition } from '../../schemas/generated/resource-types';
import type { AttributeCatalog, CatalogEntity } from '../catalog/attribute-catalog';
import { OPERATORS_BY_TYPE, TO_ONE_RELATIONS } from '../catalog/attribute-catalog';
import type { ProblemCode } from '../config/problem';
import { didYouMeanSuffix } from '../util/did-you-mean';
import { checkComparisonValue, durationProblem } from './check-comparison-value';
import type { ConditionNode, RelationName, RelationNode } from './condition-ast';
import type { ConditionFinding } from './condition-finding';
import { parseProvenance } from './parse-provenance';

type Filter = 'role' | 'primary' | 'active' | 'status';
interface RelationRule {
  to: CatalogEntity;
  filters: Filter[];
}

/** Which relations each entity can follow, where they lead and which filters they take. */
const RELATIONS: Partial<Record<CatalogEntity, Partial<Record<RelationName, RelationRule>>>> = {
  person: {
    account: { to: 'account', filters: [] },
    opportunities: { to: 'opportunity', filters: ['role', 'primary'] },
    accountRelations: { to: 'account', filters: ['role', 'primary', 'active'] },
    campaigns: { to: 'campaign', filters: ['status'] },
    lists: { to: 'marketingList', filters: [] },
  },
  account: {
    parent: { to: 'account', filters: [] },
    opportunities: { to: 'opportunity', filters: [] },
    persons: { to: 'person', filters: ['role', 'primary', 'active'] },
  },
  opportunity: { account: { to: 'account', filters: [] } },
};

const NODE_KEYS = [
  'all',
  'any',
  'not',
  'attribute',
  'account',
  'parent',
  'opportunities',
  'accountRelations',
  'persons',
  'campaigns',
  'lists',
  'events',
  'inSegment',
  'notInSegment',
  'fromSource',
  'hasIdentity',
] as const;

/**
 * Deepest nesting of condition nodes (`not`, `all`, `any`, relations, events) in a segment. Each
 * level is a recursion in the checker and compiler and, for relations, a nested subquery.
 */
export const MAX_CONDITION_DEPTH = 32;

/**
 * Most condition nodes in one segment. Each becomes a few bind parameters (PostgreSQL takes at most
 * 65,535 in a statement) and a predicate the planner must cost; long value lists belong in one `in`.
 */
export const MAX_CONDITION_NODES = 500;

/**
 * Checks a condition tree against the attribute catalog and turns it into a `ConditionNode` tree.
 * Every problem is collected (the tree is still returned as far as it could be built).
 */
export function parseCondition(
  condition: Condition,
  entity: CatalogEntity,
  pointer: string,
  catalog: AttributeCatalog,
): { node: ConditionNode | undefined; findings: ConditionFinding[] } {
  const findings: ConditionFinding[] = [];
  const node = new ConditionParser(catalog, findings).parse(condition, entity, pointer);
  return { node, findings };
}

class ConditionParser {
  private depth = 0;
  private nodes = 0;

  constructor(
    private readonly catalog: AttributeCatalog,
    private readonly findings: ConditionFinding[],
  ) {}

  /** Parses one node, within the depth and count bounds (past them, the subtree is not read at all). */
  parse(condition: Condition, entity: CatalogEntity, pointer: string): ConditionNode | undefined {
    this.nodes++;
    if (this.nodes === MAX_CONDITION_NODES + 1)
      this.report(
        'CONFIG_CONDITION',
        pointer,
        `the segment has more than ${MAX_CONDITION_NODES} condition nodes; at most ${MAX_CONDITION_NODES} are allowed: put alternative values in one "in" list, or split the segment and reference the parts with "inSegment"`,
      );
    if (this.nodes > MAX_CONDITION_NODES) return undefined;
    if (this.depth >= MAX_CONDITION_DEPTH)
      return this.report(
        'CONFIG_TOO_DEEP',
        pointer,
        `conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep here; at most ${MAX_CONDITION_DEPTH} are allowed: combine conditions with one "all" or "any" rather than nesting them, or move a part into a segment of its own and reference it with "inSegment"`,
      );
    this.depth++;
    try {
      return this.parseNode(condition, entity, pointer);
    } finally {
      this.depth--;
    }
  }

  private parseNode(condition: Condition, entity: CatalogEntity, pointer: string): ConditionNode | undefined {
    const present = NODE_KEYS.filter((key) => condition[key] !== undefined);
    if (present.length !== 1) return this.shapeProblem(condition, present, pointer);
    const key = present[0]!;
    switch (key) {
      case 'all':
      case 'any': {
        const children = condition[key]!.map((c, i) => this.parse(c, entity, `${pointer}/${key}/${i}`));
        return children.every(Boolean) ? { kind: key, children: children as ConditionNode[], pointer } : undefined;
      }
      case 'not': {
        const child = this.parse(condition.not!, entity, `${pointer}/not`);
        return child && { kind: 'not', child, pointer };
      }
      case 'attribute':
        return this.comparison(condition, entity, pointer);
      case 'events':
        return this.events(condition.events!, entity, `${pointer}/events`);
      case 'inSegment':
      case 'notInSegment':
        return this.segmentRef(condition[key]!, key === 'notInSegment', entity, `${pointer}/${key}`);
      case 'fromSource':
      case 'hasIdentity': {
        const parsed = parseProvenance(key, condition[key]!, entity, `${pointer}/${key}`);
        if ('kind' in parsed) return parsed;
        return this.report(parsed.code, parsed.pointer, parsed.message);
      }
      case 'account':
      case 'parent':
        return this.relation(key, { where: condition[key] }, entity, `${pointer}/${key}`, `${pointer}/${key}`);
      default:
        return this.relation(key, condition[key]!, entity, `${pointer}/${key}`, `${pointer}/${key}/where`);
    }
  }

  private shapeProblem(condition: Condition, present: readonly string[], pointer: string): undefined {
    const kinds =
      'all, any, not, attribute, account, parent, opportunities, accountRelations, persons, campaigns, lists, events, inSegment, notInSegment, fromSource, hasIdentity';
    if (present.length > 1) {
      this.report(
        'CONFIG_CONDITION',
        pointer,
        `one condition node holds ${present.join(' and ')}; give each its own node and combine them with "all" or "any"`,
      );
    } else if (condition.op !== undefined || condition.value !== undefined) {
      this.report('CONFIG_CONDITION', pointer, '"op" and "value" need an "attribute" to compare; add "attribute"');
    } else {
      this.report('CONFIG_CONDITION', pointer, `a condition node needs one of: ${kinds}`);
    }
    return undefined;
  }

  private comparison(condition: Condition, entity: CatalogEntity, pointer: string): ConditionNode | undefined {
    const path = condition.attribute!.split('.');
    if (path.length === 2) {
      const via = path[0] as RelationName;
      const rule = RELATIONS[entity]?.[via];
      if (!rule || !TO_ONE_RELATIONS[entity]?.[via]) {
        const reachable = Object.keys(TO_ONE_RELATIONS[entity] ?? {});
        const hint =
          reachable.length > 0
            ? `reachable from ${entity}: ${reachable.map((r) => `${r}.<attribute>`).join(', ')}`
            : `no relation can be followed from ${entity} with a dotted name`;
        return this.report(
          'CONFIG_UNKNOWN_ATTRIBUTE',
          `${pointer}/attribute`,
          `"${condition.attribute}" is not an attribute of ${entity}; ${hint}`,
        );
      }
      const inner = this.comparison({ ...condition, attribute: path[1]! }, rule.to, pointer);
      return (
        inner && { kind: 'relation', relation: via, from: entity, to: rule.to, dotted: true, where: inner, pointer }
      );
    }
    const attribute = this.catalog.get(entity)?.get(path[0]!);
    if (!attribute) {
      const names = [...(this.catalog.get(entity)?.keys() ?? [])];
      const hint = didYouMeanSuffix(path[0]!, names) || `; ${entity} attributes are: ${names.join(', ')}`;
      return this.report(
        'CONFIG_UNKNOWN_ATTRIBUTE',
        `${pointer}/attribute`,
        `"${path[0]}" is not an attribute of ${entity}${hint}`,
      );
    }
    if (condition.op === undefined)
      return this.report(
        'CONFIG_CONDITION',
        pointer,
        `comparing "${attribute.name}" needs an "op"; add one of ${OPERATORS_BY_TYPE[attribute.type].join(', ')}`,
      );
    const allowed = OPERATORS_BY_TYPE[attribute.type];
    if (!allowed.includes(condition.op)) {
      return this.report(
        'CONFIG_OPERATOR',
        `${pointer}/op`,
        `operator "${condition.op}" does not apply to ${attribute.type} attribute "${attribute.name}"; allowed: ${allowed.join(', ')}`,
      );
    }
    const wrong = checkComparisonValue(attribute, condition.op, condition.value);
    if (wrong) {
      const code = condition.op === 'matches' && typeof condition.value === 'string' ? 'CONFIG_REGEX' : 'CONFIG_VALUE';
      return this.report(code, condition.value === undefined ? pointer : `${pointer}/value`, wrong);
    }
    return { kind: 'compare', entity, attribute, op: condition.op, value: condition.value, pointer };
  }

  private relation(
    name: RelationName,
    spec: RelationCondition,
    entity: CatalogEntity,
    pointer: string,
    wherePointer: string,
  ): ConditionNode | undefined {
    const rule = RELATIONS[entity]?.[name];
    if (!rule) {
      const allowed = Object.keys(RELATIONS[entity] ?? {});
      const hint =
        allowed.length > 0
          ? `from ${entity} you can follow: ${allowed.join(', ')}`
          : `${entity} has no relations to follow`;
      return this.report('CONFIG_CONDITION', pointer, `"${name}" cannot be followed from ${entity}; ${hint}`);
    }
    for (const filter of ['role', 'primary', 'active', 'status'] as const) {
      if (spec[filter] !== undefined && !rule.filters.includes(filter)) {
        const allowed = rule.filters.length > 0 ? `it takes ${rule.filters.join(', ')}` : 'it takes no filters';
        this.report(
          'CONFIG_CONDITION',
          `${pointer}/${filter}`,
          `"${filter}" does not apply to "${name}" from ${entity}; ${allowed}`,
        );
      }
    }
    const where = spec.where === undefined ? undefined : this.parse(spec.where, rule.to, wherePointer);
    if (spec.where !== undefined && !where) return undefined;
    const node: RelationNode = { kind: 'relation', relation: name, from: entity, to: rule.to, dotted: false, pointer };
    for (const key of ['role', 'primary', 'active', 'status', 'count'] as const)
      if (spec[key] !== undefined) Object.assign(node, { [key]: spec[key] });
    if (where) node.where = where;
    return node;
  }

  private events(spec: EventCondition, entity: CatalogEntity, pointer: string): ConditionNode | undefined {
    if (entity !== 'person')
      return this.report(
        'CONFIG_CONDITION',
        pointer,
        `events belong to persons, not to ${entity}; put the events condition under "persons" or in a person segment`,
      );
    const tooLong = spec.within === undefined ? undefined : durationProblem(spec.within);
    if (tooLong) this.report('CONFIG_VALUE', `${pointer}/within`, tooLong);
    const where = spec.where === undefined ? undefined : this.parse(spec.where, 'event', `${pointer}/where`);
    if ((spec.where !== undefined && !where) || tooLong) return undefined;
    const types = typeof spec.type === 'string' ? [spec.type] : spec.type;
    return {
      kind: 'events',
      types,
      pointer,
      ...(spec.within && { within: spec.within }),
      ...(where && { where }),
      ...(spec.count && { count: spec.count }),
    };
  }

  private segmentRef(
    segment: string,
    negated: boolean,
    entity: CatalogEntity,
    pointer: string,
  ): ConditionNode | undefined {
    if (entity !== 'person' && entity !== 'account') {
      return this.report(
        'CONFIG_CONDITION',
        pointer,
        `segment membership applies to persons and accounts, not to ${entity}`,
      );
    }
    return { kind: 'segment', segment, negated, subject: entity, pointer };
  }

  private report(code: ProblemCode, pointer: string, message: string): undefined {
    this.findings.push({ code, pointer, message });
    return undefined;
  }
}
