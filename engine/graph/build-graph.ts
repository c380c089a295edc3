import type { Problem } from '../config/problem';
import { problemAt } from '../config/problem-at';
import type { Resource, ResourceKey } from '../config/resource';
import { resourceKey } from '../config/resource';
import { didYouMeanSuffix } from '../util/did-you-mean';
import { findCycles } from './find-cycles';
import { type ResourceReference, resourceReferences } from './resource-references';

/** The resources of a configuration and who depends on whom. */
export interface ResourceGraph {
  resources: ReadonlyMap<ResourceKey, Resource>;
  /** For each resource, the resources it references (its dependencies), deduplicated, in document order. */
  dependencies: ReadonlyMap<ResourceKey, readonly ResourceKey[]>;
  /** Every resource after its dependencies; ties broken by kind then name, so the order is stable. */
  order: readonly ResourceKey[];
}

/**
 * What is known of resources that did not make it through parsing: a reference to one of them is
 * not "unknown" (its own file already has a problem), and while some file could not be read at
 * all, any name might be declared there.
 */
export interface PartialConfigContext {
  /** `Kind/name` of every document that names one, including schema-invalid ones. */
  declaredKeys?: ReadonlySet<ResourceKey>;
  /** Some files could not be parsed, so their resources are unknown. */
  incomplete?: boolean;
}

/** True when a missing resource may exist in a part of the configuration that failed to parse. */
export function mayBeDeclaredElsewhere(key: ResourceKey, context: PartialConfigContext): boolean {
  return context.incomplete === true || context.declaredKeys?.has(key) === true;
}

/** Kinds in the order their resources are usually applied (ties in the topological order). */
const KIND_RANK: Record<Resource['kind'], number> = { Source: 0, IdentityMapping: 1, Segment: 2, Destination: 3 };

/**
 * Builds the graph; reports duplicate names, unknown references (with "did you mean") and cycles
 * (with their full path). Resources in a cycle are left out of `order`.
 */
export function buildGraph(
  all: readonly Resource[],
  context: PartialConfigContext = {},
): { graph: ResourceGraph; problems: Problem[] } {
  const problems: Problem[] = [];
  const resources = new Map<ResourceKey, Resource>();
  for (const resource of all) {
    const first = resources.get(resource.key);
    if (first) problems.push(duplicateProblem(resource, first));
    else resources.set(resource.key, resource);
  }
  const dependencies = new Map<ResourceKey, ResourceKey[]>();
  for (const resource of resources.values()) {
    const keys: ResourceKey[] = [];
    for (const reference of resourceReferences(resource)) {
      const key = resourceKey(reference.kind, reference.name);
      if (!resources.has(key)) {
        if (!mayBeDeclaredElsewhere(key, context))
          problems.push(unknownReferenceProblem(resource, reference, resources));
      } else if (!keys.includes(key)) keys.push(key);
    }
    dependencies.set(resource.key, keys);
  }
  const cycles = findCycles(dependencies, compareKeys(resources));
  for (const cycle of cycles) problems.push(cycleProblem(cycle, resources));
  const inCycle = new Set(cycles.flat());
  const order = topologicalOrder(dependencies, inCycle, compareKeys(resources));
  return { graph: { resources, dependencies, order }, problems };
}

function compareKeys(resources: ReadonlyMap<ResourceKey, Resource>) {
  return (a: ResourceKey, b: ResourceKey): number => {
    const ra = resources.get(a)!;
    const rb = resources.get(b)!;
    return KIND_RANK[ra.kind] - KIND_RANK[rb.kind] || (ra.name < rb.name ? -1 : ra.name > rb.name ? 1 : 0);
  };
}

/** Kahn's algorithm, always taking the smallest ready key, so the same graph gives the same order. */
function topologicalOrder(
  dependencies: ReadonlyMap<ResourceKey, readonly ResourceKey[]>,
  excluded: ReadonlySet<ResourceKey>,
  compare: (a: ResourceKey, b: ResourceKey) => number,
): ResourceKey[] {
  const waitingOn = new Map<ResourceKey, number>();
  const dependents = new Map<ResourceKey, ResourceKey[]>();
  for (const [key, deps] of dependencies) {
    if (excluded.has(key)) continue;
    waitingOn.set(key, deps.length);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), key]);
  }
  const ready = [...waitingOn].filter(([, n]) => n === 0).map(([key]) => key);
  const order: ResourceKey[] = [];
  while (ready.length > 0) {
    ready.sort(compare);
    const key = ready.shift()!;
    order.push(key);
    for (const dependent of dependents.get(key) ?? []) {
      const left = waitingOn.get(dependent);
      if (left === undefined) continue; // a dependent inside a cycle
      waitingOn.set(dependent, left - 1);
      if (left === 1) ready.push(dependent);
    }
  }
  return order;
}

function duplicateProblem(resource: Resource, first: Resource): Problem {
  const at = first.origin.locate('/metadata/name');
  const message = `${resource.key} is already declared at ${first.origin.file}:${at.line}:${at.column}; names are unique per kind: rename or remove one`;
  return problemAt(resource, '/metadata/name', 'CONFIG_DUPLICATE_NAME', message);
}

function unknownReferenceProblem(
  resource: Resource,
  reference: ResourceReference,
  resources: ReadonlyMap<ResourceKey, Resource>,
): Problem {
  const names = [...resources.values()].filter((r) => r.kind === reference.kind).map((r) => r.name);
  const hint =
    didYouMeanSuffix(reference.name, names) ||
    (names.length > 0
      ? `; declared ${reference.kind}s: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}`
      : `; no ${reference.kind} is declared`);
  return problemAt(
    resource,
    reference.pointer,
    'CONFIG_UNKNOWN_REFERENCE',
    `${reference.kind}/${reference.name} is not declared${hint}`,
  );
}

function cycleProblem(cycle: readonly ResourceKey[], resources: ReadonlyMap<ResourceKey, Resource>): Problem {
  const first = resources.get(cycle[0]!)!;
  const next = cycle[1] ?? cycle[0]!;
  const reference = resourceReferences(first).find((r) => resourceKey(r.kind, r.name) === next)!;
  const path = [...cycle, cycle[0]!].join(' -> ');
  const message =
    cycle.length === 1
      ? `${first.key} references itself; remove the reference`
      : `reference cycle ${path}; break it by removing one of these references`;
  return problemAt(first, reference.pointer, 'CONFIG_CYCLE', message);
}
